export default {
  title: "iam-metaflow in Docusaurus",
  url: "http://127.0.0.1",
  baseUrl: "/",
  plugins: ["@docusaurus/plugin-content-pages"],
};

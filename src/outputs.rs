//! The module's output map, shaped like `terraform output -json`.

use serde::Serialize;
use tsify::Tsify;

use crate::roles::{Role, RoleKey};

/// One output, as one entry of `terraform output -json`, plus `known_after_apply`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct Output {
    /// The value where known; for ARNs the value predicted from `account_id` and `partition`.
    pub value: Option<String>,
    /// Always `"string"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Always false.
    pub sensitive: bool,
    /// The seed's description, verbatim.
    pub description: &'static str,
    /// What `terraform plan` shows: true for every ARN of a created resource.
    pub known_after_apply: bool,
}

/// What an output reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    RoleArn,
    RoleName,
    ProfileArn,
    ProfileName,
}

/// The ten outputs in the seed's order (alphabetical): name, role, what it reads, description.
pub(crate) const OUTPUTS: [(&str, RoleKey, Source, &str); 10] = [
    ("batch_instance_profile_arn", RoleKey::BatchInstance, Source::ProfileArn, "The ARN of the EC2 instance profile. Use this for EC2 instances in Batch compute environments."),
    ("batch_instance_profile_name", RoleKey::BatchInstance, Source::ProfileName, "The name of the EC2 instance profile."),
    ("batch_instance_role_arn", RoleKey::BatchInstance, Source::RoleArn, "The ARN of the EC2 instance role. Use this for the instance_role variable in AWS Batch compute environments."),
    ("batch_instance_role_name", RoleKey::BatchInstance, Source::RoleName, "The name of the EC2 instance role."),
    ("batch_job_role_arn", RoleKey::BatchJob, Source::RoleArn, "The ARN of the Batch job role. Use this for the job_role_arn variable in s3_metaflow and ecr_unop modules."),
    ("batch_job_role_name", RoleKey::BatchJob, Source::RoleName, "The name of the Batch job role."),
    ("batch_service_role_arn", RoleKey::BatchService, Source::RoleArn, "The ARN of the Batch service role. Use this for the service_role variable in AWS Batch compute environments."),
    ("batch_service_role_name", RoleKey::BatchService, Source::RoleName, "The name of the Batch service role."),
    ("spot_fleet_role_arn", RoleKey::SpotFleet, Source::RoleArn, "The ARN of the Spot Fleet role. Only available if enable_spot_fleet_role is true."),
    ("spot_fleet_role_name", RoleKey::SpotFleet, Source::RoleName, "The name of the Spot Fleet role. Only available if enable_spot_fleet_role is true."),
];

/// The module's ten outputs, by name: in JSON an object keyed by output name, in name order,
/// as `terraform output -json` prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Outputs {
    /// The EC2 instance profile's ARN.
    pub batch_instance_profile_arn: Output,
    /// The EC2 instance profile's name.
    pub batch_instance_profile_name: Output,
    /// The EC2 instance role's ARN.
    pub batch_instance_role_arn: Output,
    /// The EC2 instance role's name.
    pub batch_instance_role_name: Output,
    /// The Batch job role's ARN.
    pub batch_job_role_arn: Output,
    /// The Batch job role's name.
    pub batch_job_role_name: Output,
    /// The Batch service role's ARN.
    pub batch_service_role_arn: Output,
    /// The Batch service role's name.
    pub batch_service_role_name: Output,
    /// The Spot Fleet role's ARN (null without the role).
    pub spot_fleet_role_arn: Output,
    /// The Spot Fleet role's name (null without the role).
    pub spot_fleet_role_name: Output,
}

impl Outputs {
    /// The outputs as (name, output), in name order.
    pub fn iter(&self) -> [(&'static str, &Output); 10] {
        [
            (
                "batch_instance_profile_arn",
                &self.batch_instance_profile_arn,
            ),
            (
                "batch_instance_profile_name",
                &self.batch_instance_profile_name,
            ),
            ("batch_instance_role_arn", &self.batch_instance_role_arn),
            ("batch_instance_role_name", &self.batch_instance_role_name),
            ("batch_job_role_arn", &self.batch_job_role_arn),
            ("batch_job_role_name", &self.batch_job_role_name),
            ("batch_service_role_arn", &self.batch_service_role_arn),
            ("batch_service_role_name", &self.batch_service_role_name),
            ("spot_fleet_role_arn", &self.spot_fleet_role_arn),
            ("spot_fleet_role_name", &self.spot_fleet_role_name),
        ]
    }

    /// The output named `name`.
    pub fn get(&self, name: &str) -> Option<&Output> {
        self.iter()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, output)| output)
    }
}

/// `outputs["batch_job_role_arn"]`, as in a map of them; panics on a name that is no output
/// (use [`Outputs::get`] for a name from elsewhere).
impl std::ops::Index<&str> for Outputs {
    type Output = Output;

    fn index(&self, name: &str) -> &Output {
        match self.get(name) {
            Some(output) => output,
            None => panic!("no output is named {name:?}"),
        }
    }
}

/// The outputs for a role set.
pub fn build_outputs(roles: &[Role]) -> Outputs {
    let [batch_instance_profile_arn, batch_instance_profile_name, batch_instance_role_arn, batch_instance_role_name, batch_job_role_arn, batch_job_role_name, batch_service_role_arn, batch_service_role_name, spot_fleet_role_arn, spot_fleet_role_name] =
        OUTPUTS.map(|(_, key, source, description)| {
            let role = roles.iter().find(|r| r.key == key);
            let profile = role.and_then(|r| r.instance_profile.as_ref());
            let (value, is_arn) = match source {
                Source::RoleArn => (role.and_then(|r| r.arn.clone()), true),
                Source::RoleName => (role.map(|r| r.name.clone()), false),
                Source::ProfileArn => (profile.and_then(|p| p.arn.clone()), true),
                Source::ProfileName => (profile.map(|p| p.name.clone()), false),
            };
            Output {
                value,
                kind: "string",
                sensitive: false,
                description,
                known_after_apply: is_arn && role.is_some(),
            }
        });
    Outputs {
        batch_instance_profile_arn,
        batch_instance_profile_name,
        batch_instance_role_arn,
        batch_instance_role_name,
        batch_job_role_arn,
        batch_job_role_name,
        batch_service_role_arn,
        batch_service_role_name,
        spot_fleet_role_arn,
        spot_fleet_role_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `build_outputs` fills the fields in the order of `OUTPUTS`: each field must be the
    /// output of its own name (its description says which).
    #[test]
    fn each_field_holds_the_output_of_its_name() {
        let outputs = build_outputs(&[]);
        let names = outputs
            .iter()
            .map(|(name, output)| (name, output.description));
        let table = OUTPUTS.map(|(name, _, _, description)| (name, description));
        assert_eq!(names, table);
        assert_eq!(
            outputs["spot_fleet_role_arn"].description, OUTPUTS[8].3,
            "Index finds by name"
        );
        assert!(outputs.get("no_such_output").is_none());
    }
}

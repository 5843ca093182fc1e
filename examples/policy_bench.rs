//! Timing of `render_policy` alone, for work on the renderer: `cargo run --release --example
//! policy_bench`. `npm run bench` prints the figures of the whole `generate`.

use std::hint::black_box;
use std::time::Instant;

use iam_metaflow::{render_policy, ConditionBlock, PrincipalBlock, Statement};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A job policy like the seed's, with five statements, a condition and a principal.
fn job_policy() -> Vec<Statement> {
    vec![
        Statement {
            sid: Some("AllowSecretsManagerAccess".into()),
            effect: "Allow".into(),
            actions: strings(&[
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
            ]),
            resources: strings(&["arn:aws:secretsmanager:*:*:secret:metaflow/*"]),
            ..Statement::default()
        },
        Statement {
            sid: Some("S3".into()),
            effect: "Allow".into(),
            actions: strings(&[
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:ListBucket",
            ]),
            resources: strings(&[
                "arn:aws:s3:::metaflow-bucket",
                "arn:aws:s3:::metaflow-bucket/*",
            ]),
            ..Statement::default()
        },
        Statement {
            sid: Some("DenyUnencrypted".into()),
            effect: "Deny".into(),
            actions: strings(&["s3:PutObject"]),
            resources: strings(&["arn:aws:s3:::metaflow-bucket/*"]),
            conditions: vec![
                ConditionBlock {
                    test: "StringNotEquals".into(),
                    variable: "s3:x-amz-server-side-encryption".into(),
                    values: strings(&["aws:kms", "AES256"]),
                },
                ConditionBlock {
                    test: "Null".into(),
                    variable: "s3:x-amz-server-side-encryption".into(),
                    values: strings(&["false"]),
                },
            ],
            ..Statement::default()
        },
        Statement {
            sid: Some("Logs".into()),
            effect: "Allow".into(),
            actions: strings(&["logs:CreateLogStream", "logs:PutLogEvents"]),
            resources: strings(&["arn:aws:logs:*:*:log-group:/aws/batch/&{aws:username}", "*"]),
            ..Statement::default()
        },
        Statement {
            sid: Some("Assume".into()),
            effect: "Allow".into(),
            actions: strings(&["sts:AssumeRole"]),
            principals: vec![
                PrincipalBlock {
                    kind: "Service".into(),
                    identifiers: strings(&["ecs-tasks.amazonaws.com", "batch.amazonaws.com"]),
                },
                PrincipalBlock {
                    kind: "AWS".into(),
                    identifiers: strings(&["arn:aws:iam::123456789012:root"]),
                },
            ],
            ..Statement::default()
        },
    ]
}

/// The fastest of many short batches: robust against other processes on a shared machine.
fn time(label: &str, statements: &[Statement]) {
    let (batches, calls) = (300u32, 100u32);
    let mut best = std::time::Duration::MAX;
    for _ in 0..batches {
        let start = Instant::now();
        for _ in 0..calls {
            black_box(render_policy(black_box(statements)));
        }
        best = best.min(start.elapsed() / calls);
    }
    println!("{label}: {best:?} per render_policy call (best batch)");
}

fn main() {
    let trust = vec![Statement {
        sid: Some("ECSTasksAssumeRole".into()),
        effect: "Allow".into(),
        actions: strings(&["sts:AssumeRole"]),
        principals: vec![PrincipalBlock {
            kind: "Service".into(),
            identifiers: strings(&["ecs-tasks.amazonaws.com"]),
        }],
        ..Statement::default()
    }];
    time("trust policy, 1 statement", &trust);
    time("job policy, 5 statements", &job_policy());
}

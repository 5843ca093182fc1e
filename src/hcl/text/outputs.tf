output "batch_instance_profile_arn" {
  description = "The ARN of the EC2 instance profile. Use this for EC2 instances in Batch compute environments."
  value       = try(module.batch_instance_role.instance_profile_arn, null)
}

output "batch_instance_profile_name" {
  description = "The name of the EC2 instance profile."
  value       = try(module.batch_instance_role.instance_profile_name, null)
}

output "batch_instance_role_arn" {
  description = "The ARN of the EC2 instance role. Use this for the instance_role variable in AWS Batch compute environments."
  value       = try(module.batch_instance_role.arn, null)
}

output "batch_instance_role_name" {
  description = "The name of the EC2 instance role."
  value       = try(module.batch_instance_role.name, null)
}

output "batch_job_role_arn" {
  description = "The ARN of the Batch job role. Use this for the job_role_arn variable in s3_metaflow and ecr_unop modules."
  value       = try(module.batch_job_role.arn, null)
}

output "batch_job_role_name" {
  description = "The name of the Batch job role."
  value       = try(module.batch_job_role.name, null)
}

output "batch_service_role_arn" {
  description = "The ARN of the Batch service role. Use this for the service_role variable in AWS Batch compute environments."
  value       = try(module.batch_service_role.arn, null)
}

output "batch_service_role_name" {
  description = "The name of the Batch service role."
  value       = try(module.batch_service_role.name, null)
}

output "spot_fleet_role_arn" {
  description = "The ARN of the Spot Fleet role. Only available if enable_spot_fleet_role is true."
  value       = try(module.spot_fleet_role.arn, null)
}

output "spot_fleet_role_name" {
  description = "The name of the Spot Fleet role. Only available if enable_spot_fleet_role is true."
  value       = try(module.spot_fleet_role.name, null)
}

CREATE TABLE `wallboard_acks` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`vm_id` int NOT NULL,
	`service` varchar(255) NOT NULL,
	`state_since` datetime(3) NOT NULL,
	`state` varchar(16) NOT NULL,
	`acknowledged_at` datetime(3) NOT NULL,
	`acknowledged_by` varchar(255) NOT NULL,
	`acknowledged_by_user_id` int,
	CONSTRAINT `wallboard_acks_id` PRIMARY KEY(`id`),
	CONSTRAINT `wallboard_acks_problem_uq` UNIQUE(`vm_id`,`service`,`state_since`)
);
--> statement-breakpoint
-- One statement, so the VM pages never run without the index while it is rebuilt.
ALTER TABLE `service_states` DROP INDEX `service_states_vm_idx`, ADD INDEX `service_states_vm_idx` (`vm_id`,`service`);
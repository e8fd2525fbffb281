CREATE TABLE `alert_contacts` (
	`id` int AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`kind` enum('email','sms','webhook','push','alarm') NOT NULL,
	`label` varchar(128) NOT NULL,
	`target` varchar(2048) NOT NULL,
	`target_key` char(64) NOT NULL,
	`options` json,
	`verified_at` datetime(3),
	`verify_code_hash` char(64),
	`verify_expires_at` datetime(3),
	`verify_attempts` smallint unsigned NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `alert_contacts_id` PRIMARY KEY(`id`),
	CONSTRAINT `alert_contacts_target_uq` UNIQUE(`account_id`,`kind`,`target_key`)
);
--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`rule_id` int NOT NULL,
	`event_id` bigint unsigned NOT NULL,
	`contact_id` int NOT NULL,
	`seq` smallint unsigned NOT NULL DEFAULT 0,
	`vm_id` int NOT NULL,
	`service` varchar(255) NOT NULL,
	`state` varchar(16) NOT NULL,
	`channel` enum('email','sms','webhook','push','alarm') NOT NULL,
	`status` enum('pending','sending','sent','failed','suppressed','waiting','held','grouped','digested') NOT NULL,
	`reason` varchar(64) NOT NULL,
	`detail` varchar(1024),
	`group_key` varchar(128),
	`carried_by` bigint unsigned,
	`subject` varchar(255),
	`body` mediumtext,
	`attempts` smallint unsigned NOT NULL DEFAULT 0,
	`response` varchar(1024),
	`due_at` datetime(3),
	`created_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `alert_deliveries_id` PRIMARY KEY(`id`),
	CONSTRAINT `alert_deliveries_once_uq` UNIQUE(`rule_id`,`event_id`,`contact_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `alert_outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`event_id` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `alert_outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `alert_outbox_event_uq` UNIQUE(`event_id`)
);
--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` int AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`name` varchar(120) NOT NULL,
	`enabled` boolean NOT NULL,
	`definition` json NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `alert_rules_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `maintenance_windows` (
	`id` int AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`vm_id` int NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`ends_at` datetime(3) NOT NULL,
	`reason` varchar(255),
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `maintenance_windows_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `alert_contacts` ADD CONSTRAINT `alert_contacts_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD CONSTRAINT `alert_rules_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `maintenance_windows` ADD CONSTRAINT `maintenance_windows_vm_id_vms_id_fk` FOREIGN KEY (`vm_id`) REFERENCES `vms`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `alert_deliveries_due_idx` ON `alert_deliveries` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_account_idx` ON `alert_deliveries` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_rule_contact_idx` ON `alert_deliveries` (`rule_id`,`contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_subject_idx` ON `alert_deliveries` (`rule_id`,`vm_id`,`service`,`id`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_group_idx` ON `alert_deliveries` (`group_key`);--> statement-breakpoint
CREATE INDEX `alert_rules_account_idx` ON `alert_rules` (`account_id`,`enabled`);--> statement-breakpoint
CREATE INDEX `maintenance_windows_vm_idx` ON `maintenance_windows` (`vm_id`,`ends_at`);
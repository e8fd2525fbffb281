CREATE TABLE `accounts` (
	`id` int AUTO_INCREMENT NOT NULL,
	`slug` varchar(64) NOT NULL,
	`name` varchar(128) NOT NULL,
	`contact_email` varchar(254),
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `accounts_id` PRIMARY KEY(`id`),
	CONSTRAINT `accounts_slug_unique` UNIQUE(`slug`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`at` datetime(3) NOT NULL,
	`actor_user_id` int,
	`actor_username` varchar(255),
	`account_id` int,
	`action` varchar(64) NOT NULL,
	`target_type` varchar(32),
	`target_id` varchar(64),
	`ip` varchar(45),
	`details` json,
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`received_at` datetime(3) NOT NULL,
	`destination` varchar(255) NOT NULL,
	`message_id` varchar(255),
	`headers` json,
	`body` mediumtext NOT NULL,
	`reason` varchar(1024) NOT NULL,
	`status` enum('new','replayed','discarded') NOT NULL DEFAULT 'new',
	`resolved_at` datetime(3),
	CONSTRAINT `dead_letters_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `ingester_status` (
	`instance` varchar(128) NOT NULL,
	`destination` varchar(255) NOT NULL,
	`connected` boolean NOT NULL,
	`started_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	`last_message_at` datetime(3),
	`messages_total` bigint unsigned NOT NULL DEFAULT 0,
	`dead_letters_total` bigint unsigned NOT NULL DEFAULT 0,
	`last_error` varchar(1024),
	CONSTRAINT `ingester_status_instance` PRIMARY KEY(`instance`)
);
--> statement-breakpoint
CREATE TABLE `login_throttle` (
	`scope` enum('user','ip') NOT NULL,
	`subject` varchar(190) NOT NULL,
	`failures` int NOT NULL,
	`window_start` datetime(3) NOT NULL,
	`locked_until` datetime(3),
	CONSTRAINT `login_throttle_scope_subject_pk` PRIMARY KEY(`scope`,`subject`)
);
--> statement-breakpoint
CREATE TABLE `mail_domains` (
	`id` int AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`domain` varchar(253) NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `mail_domains_id` PRIMARY KEY(`id`),
	CONSTRAINT `mail_domains_account_domain_uq` UNIQUE(`account_id`,`domain`)
);
--> statement-breakpoint
CREATE TABLE `monitoring_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`event_key` char(64) NOT NULL,
	`vm_id` int,
	`hostname` varchar(255) NOT NULL,
	`host_name` varchar(255),
	`kind` enum('host','service') NOT NULL,
	`service` varchar(255) NOT NULL,
	`state` varchar(16) NOT NULL,
	`state_type` enum('HARD','SOFT') NOT NULL,
	`state_duration_sec` int unsigned NOT NULL,
	`attempt` smallint unsigned NOT NULL,
	`max_attempts` smallint unsigned NOT NULL,
	`occurred_at` datetime(3) NOT NULL,
	`received_at` datetime(3) NOT NULL,
	`output` text,
	`long_output` mediumtext,
	`perfdata` text,
	`source` varchar(128),
	`event_id` varchar(128),
	`extra` json,
	CONSTRAINT `monitoring_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `monitoring_events_key_uq` UNIQUE(`event_key`)
);
--> statement-breakpoint
CREATE TABLE `mx_checks` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`mail_domain_id` int NOT NULL,
	`checked_at` datetime(3) NOT NULL,
	`ok` boolean NOT NULL,
	`result` json NOT NULL,
	CONSTRAINT `mx_checks_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `perf_samples` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`event_key` char(64) NOT NULL,
	`vm_id` int,
	`hostname` varchar(255) NOT NULL,
	`service` varchar(255) NOT NULL,
	`label` varchar(128) NOT NULL,
	`value` double,
	`unit` varchar(16) NOT NULL DEFAULT '',
	`warn` double,
	`crit` double,
	`min` double,
	`max` double,
	`sampled_at` datetime(3) NOT NULL,
	CONSTRAINT `perf_samples_id` PRIMARY KEY(`id`),
	CONSTRAINT `perf_samples_key_label_uq` UNIQUE(`event_key`,`label`)
);
--> statement-breakpoint
CREATE TABLE `plans` (
	`id` int AUTO_INCREMENT NOT NULL,
	`slug` varchar(32) NOT NULL,
	`name` varchar(64) NOT NULL,
	`vcpus` smallint NOT NULL,
	`memory_mb` int NOT NULL,
	`disk_gb` int NOT NULL,
	`transfer_gb` int NOT NULL,
	`price_cents` int NOT NULL,
	`sort_order` smallint NOT NULL DEFAULT 0,
	`active` boolean NOT NULL DEFAULT true,
	CONSTRAINT `plans_id` PRIMARY KEY(`id`),
	CONSTRAINT `plans_slug_unique` UNIQUE(`slug`)
);
--> statement-breakpoint
CREATE TABLE `service_states` (
	`id` int AUTO_INCREMENT NOT NULL,
	`hostname` varchar(255) NOT NULL,
	`service` varchar(255) NOT NULL,
	`vm_id` int,
	`kind` enum('host','service') NOT NULL,
	`state` varchar(16) NOT NULL,
	`state_type` enum('HARD','SOFT') NOT NULL,
	`attempt` smallint unsigned NOT NULL,
	`max_attempts` smallint unsigned NOT NULL,
	`output` text,
	`perfdata` text,
	`state_since` datetime(3) NOT NULL,
	`last_event_at` datetime(3) NOT NULL,
	`last_check_at` datetime(3) NOT NULL,
	CONSTRAINT `service_states_id` PRIMARY KEY(`id`),
	CONSTRAINT `service_states_host_service_uq` UNIQUE(`hostname`,`service`)
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` varchar(64) NOT NULL,
	`value` json NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	`updated_by` varchar(64),
	CONSTRAINT `settings_key` PRIMARY KEY(`key`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` int AUTO_INCREMENT NOT NULL,
	`username` varchar(64) NOT NULL,
	`dn` varchar(512) NOT NULL,
	`display_name` varchar(128),
	`email` varchar(254),
	`account_id` int,
	`account_source` enum('directory','staff'),
	`is_staff` boolean NOT NULL DEFAULT false,
	`detail_level` enum('summary','technical') NOT NULL DEFAULT 'summary',
	`created_at` datetime(3) NOT NULL,
	`last_login_at` datetime(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_username_unique` UNIQUE(`username`)
);
--> statement-breakpoint
CREATE TABLE `vms` (
	`id` int AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`nagios_host_name` varchar(255) NOT NULL,
	`hostname` varchar(255) NOT NULL,
	`address` varchar(45) NOT NULL,
	`address_v6` varchar(45),
	`ubuntu_release` varchar(16) NOT NULL,
	`plan_id` int NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `vms_id` PRIMARY KEY(`id`),
	CONSTRAINT `vms_nagios_host_name_unique` UNIQUE(`nagios_host_name`)
);
--> statement-breakpoint
ALTER TABLE `mail_domains` ADD CONSTRAINT `mail_domains_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `mx_checks` ADD CONSTRAINT `mx_checks_mail_domain_id_mail_domains_id_fk` FOREIGN KEY (`mail_domain_id`) REFERENCES `mail_domains`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `users` ADD CONSTRAINT `users_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vms` ADD CONSTRAINT `vms_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vms` ADD CONSTRAINT `vms_plan_id_plans_id_fk` FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_account_at_idx` ON `audit_log` (`account_id`,`at`);--> statement-breakpoint
CREATE INDEX `dead_letters_status_idx` ON `dead_letters` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `monitoring_events_vm_time_idx` ON `monitoring_events` (`vm_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `monitoring_events_vm_service_time_idx` ON `monitoring_events` (`vm_id`,`service`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `monitoring_events_received_idx` ON `monitoring_events` (`received_at`);--> statement-breakpoint
CREATE INDEX `monitoring_events_time_idx` ON `monitoring_events` (`occurred_at`);--> statement-breakpoint
CREATE INDEX `mx_checks_domain_time_idx` ON `mx_checks` (`mail_domain_id`,`checked_at`);--> statement-breakpoint
CREATE INDEX `perf_samples_vm_series_idx` ON `perf_samples` (`vm_id`,`service`,`label`,`sampled_at`);--> statement-breakpoint
CREATE INDEX `service_states_vm_idx` ON `service_states` (`vm_id`);--> statement-breakpoint
CREATE INDEX `users_account_idx` ON `users` (`account_id`);--> statement-breakpoint
CREATE INDEX `vms_account_idx` ON `vms` (`account_id`);--> statement-breakpoint
CREATE INDEX `vms_address_idx` ON `vms` (`address`);--> statement-breakpoint
CREATE INDEX `vms_hostname_idx` ON `vms` (`hostname`);
CREATE TABLE `mx_relay_checks` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`mx_host` varchar(253) NOT NULL,
	`checked_at` datetime(3) NOT NULL,
	`ok` boolean NOT NULL,
	`open_relay` boolean NOT NULL,
	`result` json NOT NULL,
	`triggered_by` varchar(255) NOT NULL,
	CONSTRAINT `mx_relay_checks_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `billing_day` smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `time_zone` varchar(64) DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `suspended_at` datetime(3);--> statement-breakpoint
ALTER TABLE `accounts` ADD `suspended_reason` varchar(255);--> statement-breakpoint
ALTER TABLE `plan_orders` ADD `kind` enum('upgrade','rebuild') DEFAULT 'upgrade' NOT NULL;--> statement-breakpoint
ALTER TABLE `plan_orders` ADD `target_release` varchar(16);--> statement-breakpoint
ALTER TABLE `vms` ADD `retired_at` datetime(3);--> statement-breakpoint
CREATE INDEX `mx_relay_checks_host_time_idx` ON `mx_relay_checks` (`mx_host`,`checked_at`);
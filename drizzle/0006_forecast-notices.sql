CREATE TABLE `alert_notices` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`vm_id` int NOT NULL,
	`kind` enum('disk','transfer','order') NOT NULL,
	`notice_key` varchar(191) NOT NULL,
	`message` varchar(1024) NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `alert_notices_id` PRIMARY KEY(`id`),
	CONSTRAINT `alert_notices_key_uq` UNIQUE(`notice_key`)
);
--> statement-breakpoint
-- One statement, so the once-per-(rule, event, contact) guarantee never lapses while notifiers run.
ALTER TABLE `alert_deliveries` ADD `notice_id` bigint unsigned DEFAULT 0 NOT NULL, DROP INDEX `alert_deliveries_once_uq`, ADD CONSTRAINT `alert_deliveries_once_uq` UNIQUE(`rule_id`,`event_id`,`notice_id`,`contact_id`,`seq`);

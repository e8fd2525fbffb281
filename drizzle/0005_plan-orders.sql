CREATE TABLE `plan_orders` (
	`id` int AUTO_INCREMENT NOT NULL,
	`account_id` int NOT NULL,
	`vm_id` int NOT NULL,
	`open_vm_id` int,
	`from_plan_id` int NOT NULL,
	`to_plan_id` int NOT NULL,
	`idempotency_key` varchar(64) NOT NULL,
	`status` enum('requested','sent','accepted','completed','failed','cancelled') NOT NULL,
	`amount_minor` int NOT NULL,
	`currency` char(3) NOT NULL,
	`pricing` json NOT NULL,
	`requested_by` varchar(255) NOT NULL,
	`requested_by_user_id` int,
	`reason` varchar(1024),
	`created_at` datetime(3) NOT NULL,
	`sent_at` datetime(3),
	`accepted_at` datetime(3),
	`completed_at` datetime(3),
	`failed_at` datetime(3),
	`cancelled_at` datetime(3),
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `plan_orders_id` PRIMARY KEY(`id`),
	CONSTRAINT `plan_orders_key_uq` UNIQUE(`account_id`,`idempotency_key`),
	CONSTRAINT `plan_orders_open_vm_uq` UNIQUE(`open_vm_id`)
);
--> statement-breakpoint
CREATE TABLE `provisioning_outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`order_id` int NOT NULL,
	`body` text NOT NULL,
	`attempts` smallint unsigned NOT NULL DEFAULT 0,
	`last_error` varchar(1024),
	`due_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL,
	CONSTRAINT `provisioning_outbox_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `plan_orders` ADD CONSTRAINT `plan_orders_vm_id_vms_id_fk` FOREIGN KEY (`vm_id`) REFERENCES `vms`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `plan_orders_vm_idx` ON `plan_orders` (`vm_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `plan_orders_status_idx` ON `plan_orders` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `provisioning_outbox_due_idx` ON `provisioning_outbox` (`due_at`);--> statement-breakpoint
CREATE INDEX `provisioning_outbox_order_idx` ON `provisioning_outbox` (`order_id`);
CREATE TABLE `perf_rollups` (
	`vm_id` int NOT NULL,
	`service` varchar(255) NOT NULL,
	`label` varchar(128) NOT NULL,
	`period` enum('hour','day') NOT NULL,
	`bucket_start` datetime NOT NULL,
	`unit` varchar(16) NOT NULL,
	`samples` int NOT NULL,
	`valued` int NOT NULL,
	`sum` double NOT NULL,
	`low` double,
	`high` double,
	CONSTRAINT `perf_rollups_pk` PRIMARY KEY(`vm_id`,`service`,`label`,`period`,`bucket_start`,`unit`)
);
--> statement-breakpoint
CREATE INDEX `perf_rollups_age_idx` ON `perf_rollups` (`period`,`bucket_start`);
/** One project-local daemon of the stack. */
export interface Service {
  name: string;
  port(): number;
  /** The pid of our own running instance, if any. */
  pid(): number | null;
  /** True when whatever listens on the port is a usable instance of this service. */
  answers(): Promise<boolean>;
  /** Initialises data when missing, starts the daemon and waits until it is ready. */
  start(): Promise<number>;
  stop(): Promise<boolean>;
}

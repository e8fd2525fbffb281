/** Lines to put into a file, optionally in place of one line that is there already. */
export interface FileEdit {
  path: string;
  lines: string[];
  replaces?: string;
}

/** One step of a copy-paste guide: what to do, the exact commands to type (maybe none), a file edit. */
export interface GuideStep {
  title: string;
  text?: string;
  commands: string[];
  edit?: FileEdit;
}

import { OperatorError } from "../errors/operator-error.js";

/** A backup or restore that cannot be done: the CLI prints the message (one line) and exits 1. */
export class BackupError extends OperatorError {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

import { ISSUE_CODES, type IssueCode, type Stage } from './issue-code';
import { redactSecrets } from './redact';

export interface IssueRecord {
  code: IssueCode;
  message: string;
  retryable: boolean;
  stage: Stage;
}

/** The one error type of the product: a stable code, whether a retry can help, and where it came from. */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  readonly code: IssueCode;
  readonly retryable: boolean;
  readonly stage: Stage;
  /** Milliseconds the service asked us to wait (429 retry-after), when known. */
  readonly retryAfterMs?: number;

  constructor(
    code: IssueCode,
    message: string,
    options: { cause?: unknown; stage?: Stage; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(redactSecrets(message), { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? ISSUE_CODES[code].retryable;
    this.stage = options.stage ?? ISSUE_CODES[code].stage;
    this.retryAfterMs = options.retryAfterMs;
  }

  toIssue(): IssueRecord {
    return { code: this.code, message: this.message, retryable: this.retryable, stage: this.stage };
  }
}

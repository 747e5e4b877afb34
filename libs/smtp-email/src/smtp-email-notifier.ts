import nodemailer, { type Transporter } from 'nodemailer';
import { formatNoticeEmail, type BreakerNotice, type OperatorNotifier } from '@telemetry/breaker-rules';
import { PipelineError } from '@telemetry/core';

export interface SmtpEmailNotifierOptions {
  /** SMTP_HOST / SMTP_PORT */
  host: string;
  port: number;
  /** SMTP_SECURE: TLS from the first byte (port 465). Otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** SMTP_USER / SMTP_PASSWORD (secret: never logged). Both or neither. */
  auth?: { user: string; pass: string };
  /** BREAKER_EMAIL_FROM */
  from: string;
  /** BREAKER_EMAIL_TO */
  to: readonly string[];
  timeoutMs?: number;
}

/**
 * Sends breaker notices over SMTP (nodemailer): anywhere but Azure, e.g. the local stack's mail
 * catcher or a company relay. Connection failures, timeouts and 4xx replies (greylisting, busy)
 * are retryable; 5xx replies (rejected sender or recipients) are permanent.
 */
export class SmtpEmailNotifier implements OperatorNotifier {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpEmailNotifierOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      ...(options.auth ? { auth: options.auth } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async notify(notice: BreakerNotice): Promise<void> {
    const mail = formatNoticeEmail(notice);
    try {
      await this.transport.sendMail({ from: this.options.from, to: [...this.options.to], subject: mail.subject, text: mail.text, html: mail.html });
    } catch (error) {
      throw toNotifyError(error);
    }
  }
}

/** Only the kind, the SMTP code and nodemailer's error code survive (responses can echo addresses). */
function toNotifyError(error: unknown): PipelineError {
  const e = error as { responseCode?: number; code?: string };
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const retryable = reply === undefined || reply < 500;
  return new PipelineError('UNKNOWN', `SMTP send failed (${e.code ?? 'error'}${reply ? ` ${reply}` : ''})`, { retryable });
}

/**
 * Applies the suite's subject prefix (`NATS_SUBJECT_PREFIX`), so that several suites,
 * or test runs, share one NATS server without hearing each other.
 */
export class SubjectNamer {
  constructor(readonly prefix: string) {}

  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** JetStream stream and consumer names may not contain dots. */
  streamName(name: string): string {
    return this.prefix ? `${this.prefix}_${name}` : name;
  }
}

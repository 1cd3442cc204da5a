// The part of mailauth's DKIM verifier the tests use (the package ships no types for it).
declare module 'mailauth/lib/dkim/verify.js' {
  export interface DkimResult {
    status: { result: string };
    signingDomain?: string;
  }
  export function dkimVerify(
    message: Buffer | string,
    options?: { resolver?: (name: string, type: string) => Promise<unknown> },
  ): Promise<{ results: DkimResult[] }>;
}

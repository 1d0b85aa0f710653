/**
 * Credential redaction. Every message that leaves a client passes through
 * {@link Redactor.redact}: known secret values are replaced wherever they occur,
 * and anything shaped like an Authorization header or bearer token is masked
 * even when the secret itself is not known to us.
 */
const MASK = "***";

const PATTERNS: RegExp[] = [
    /(authorization["']?\s*[:=]\s*["']?)[^"',}\n]+/gi,
    /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g,
    /\b(Credential=)[^,\s]+/g,
    /\b(Signature=)[0-9a-f]+/gi,
    /(x-(?:tc-token|acs-security-token)["']?\s*[:=]\s*["']?)[^"',}\n]+/gi,
];

export class Redactor {
    private readonly secrets = new Set<string>();

    /** Remember a value that must never be printed (keys, tokens). Values shorter than 4 characters are ignored to avoid masking ordinary text. */
    add(...values: Array<string | undefined>): this {
        for (const v of values) if (v && v.length >= 4) this.secrets.add(v);
        return this;
    }

    redact(text: string): string {
        let out = text;
        for (const s of this.secrets) out = out.split(s).join(MASK);
        for (const p of PATTERNS) out = out.replace(p, `$1${MASK}`);
        return out;
    }
}

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { Props, SECRET_SIG, SIG_KEY, isSecret } from "./values";

/** One resource in the harness's checkpoint. */
export interface ResourceState {
    urn: string;
    type: string;
    name: string;
    id: string;
    /** Inputs as the program registered them (after Check), secrets marked. */
    inputs: Props;
    /** Outputs as the provider returned them, secrets re-marked. */
    outputs: Props;
    /** Set when the last create/update failed after the id was known (ErrorResourceInitFailed). */
    initErrors?: string[];
    /** Adopted with `get`/`opts.id`: never deleted, only dropped. */
    external?: boolean;
    additionalSecretOutputs?: string[];
}

export interface Checkpoint {
    resources: ResourceState[];
    /** Stack outputs. */
    outputs: Props;
}

/**
 * The JSON state file. Secret values are encrypted (AES-256-GCM with a key kept
 * beside the file), as the real engine encrypts secrets in its checkpoint, so a
 * scan of the file for plaintext secrets is meaningful.
 */
export class CheckpointFile {
    private readonly key: Buffer;

    constructor(readonly path: string) {
        const keyPath = `${path}.key`;
        if (!fs.existsSync(keyPath)) fs.writeFileSync(keyPath, crypto.randomBytes(32).toString("hex"));
        this.key = Buffer.from(fs.readFileSync(keyPath, "utf8"), "hex");
    }

    load(): Checkpoint {
        if (!fs.existsSync(this.path)) return { resources: [], outputs: {} };
        return this.decrypt(JSON.parse(fs.readFileSync(this.path, "utf8")));
    }

    save(cp: Checkpoint): void {
        const tmp = `${this.path}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(this.encrypt(cp), null, 2));
        fs.renameSync(tmp, this.path);
    }

    /** The file's raw text, as it sits on disk. */
    raw(): string {
        return fs.existsSync(this.path) ? fs.readFileSync(this.path, "utf8") : "";
    }

    private encrypt(v: any): any {
        if (isSecret(v)) {
            const iv = crypto.randomBytes(12);
            const c = crypto.createCipheriv("aes-256-gcm", this.key, iv);
            const data = Buffer.concat([c.update(JSON.stringify(v.value ?? null), "utf8"), c.final()]);
            return { [SIG_KEY]: SECRET_SIG, ciphertext: Buffer.concat([iv, c.getAuthTag(), data]).toString("base64") };
        }
        if (Array.isArray(v)) return v.map((x) => this.encrypt(x));
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.encrypt(x)]));
        return v;
    }

    private decrypt(v: any): any {
        if (v && typeof v === "object" && v[SIG_KEY] === SECRET_SIG && typeof v.ciphertext === "string") {
            const buf = Buffer.from(v.ciphertext, "base64");
            const d = crypto.createDecipheriv("aes-256-gcm", this.key, buf.subarray(0, 12));
            d.setAuthTag(buf.subarray(12, 28));
            const text = Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString("utf8");
            return { [SIG_KEY]: SECRET_SIG, value: JSON.parse(text) };
        }
        if (Array.isArray(v)) return v.map((x) => this.decrypt(x));
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.decrypt(x)]));
        return v;
    }
}

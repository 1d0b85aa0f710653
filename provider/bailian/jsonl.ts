/**
 * Line-by-line validation of JSONL data, fed chunk by chunk so a file of any
 * size is checked in bounded memory.
 *
 * The row shapes are the ones Model Studio documents for text fine-tune data
 * (https://help.aliyun.com/document_detail/2712471.html "准备调优文件";
 * https://help.aliyun.com/en/model-studio/text-generation-tuning-data-upload-rules):
 * - SFT, ChatML: `{"messages": [{"role": "system"|"user"|"assistant", "content": ...}, ...]}`;
 *   every assistant message is trained. Qwen-VL rows give `content` as a list
 *   of parts (`{"text"}`, `{"image"}`, `{"video"}`) naming files in the zip.
 * - DPO: the conversation in `messages`, plus the preferred and rejected
 *   answers as `{"chosen": {"role": "assistant", "content"}, "rejected": {...}}`.
 * - CPT: `{"text": "..."}`.
 * - The older prompt/completion rows: `{"prompt": "...", "completion": "..."}`.
 * A file holds one kind of row. Unknown extra keys are allowed.
 */

/** The kinds of fine-tune row. */
export type RowShape = "chat" | "dpo" | "text" | "prompt-completion";

/** How each row kind is named in messages. */
export const SHAPE_NAMES: Readonly<Record<RowShape, string>> = {
    chat: 'a chat row ("messages")',
    dpo: 'a DPO row ("messages" with "chosen" and "rejected")',
    text: 'a CPT row ("text")',
    "prompt-completion": 'a prompt/completion row ("prompt", "completion")',
};

/** Roles a fine-tune message may have. */
export const ROLES = ["system", "user", "assistant"] as const;

/** Parts a multimodal (Qwen-VL) message content may hold. */
const CONTENT_PARTS = ["text", "image", "video"] as const;

/**
 * Lines longer than this are reported, not parsed: they would have to be held
 * in memory whole. No limit is documented in bytes; rows longer than the job's
 * `maxLength` tokens (default 2048, recommended 8192) are dropped by the
 * service, and 8 MiB is far beyond any of those.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** How many bad lines are described before the rest are only counted. */
export const MAX_REPORTED_LINES = 5;

/** The result of checking one parsed row. */
export interface RowCheck {
    shape?: RowShape;
    /** What is wrong, starting with the quoted field path when there is one. */
    problem?: string;
}

const bytesText = (n: number) => (n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : `${n} bytes`);
const q = (path: string) => `"${path}"`;
const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function contentProblem(content: unknown, path: string, role: unknown): string | undefined {
    if (typeof content === "string") {
        if (content.trim() === "" && role !== "system") return `${q(path)} must not be empty`;
        return undefined;
    }
    if (Array.isArray(content)) {
        if (content.length === 0) return `${q(path)} must not be an empty list`;
        for (let i = 0; i < content.length; i++) {
            const part = content[i];
            if (!isObject(part) || !CONTENT_PARTS.some((k) => k in part)) return `${q(`${path}[${i}]`)} must be an object with one of ${CONTENT_PARTS.join(", ")}`;
        }
        return undefined;
    }
    return `${q(path)} must be a string (or, for Qwen-VL data, a list of text/image/video parts), not ${typeName(content)}`;
}

function messageProblem(m: unknown, path: string, roles: readonly string[]): string | undefined {
    if (!isObject(m)) return `${q(path)} must be an object with "role" and "content", not ${typeName(m)}`;
    if (!("role" in m)) return `${q(`${path}.role`)} is missing`;
    if (typeof m.role !== "string" || !roles.includes(m.role)) {
        return `${q(`${path}.role`)} must be ${roles.length === 1 ? `"${roles[0]}"` : `one of ${roles.join(", ")}`}, not ${JSON.stringify(m.role)}`;
    }
    if (!("content" in m)) return `${q(`${path}.content`)} is missing`;
    return contentProblem(m.content, `${path}.content`, m.role);
}

function messagesProblem(messages: unknown): string | undefined {
    if (!Array.isArray(messages)) return `${q("messages")} must be a list of messages, not ${typeName(messages)}`;
    if (messages.length === 0) return `${q("messages")} must not be empty`;
    for (let i = 0; i < messages.length; i++) {
        const p = messageProblem(messages[i], `messages[${i}]`, ROLES);
        if (p) return p;
    }
    return undefined;
}

/** Checks one parsed JSONL row against the fine-tune row shapes. */
export function checkFineTuneRow(row: unknown): RowCheck {
    if (!isObject(row)) return { problem: `must be a JSON object, not ${typeName(row)}` };
    if ("messages" in row) {
        const dpo = "chosen" in row || "rejected" in row;
        const shape: RowShape = dpo ? "dpo" : "chat";
        const problem = messagesProblem(row.messages);
        if (problem) return { shape, problem };
        const messages = row.messages as Array<{ role: string }>;
        if (dpo) {
            for (const k of ["chosen", "rejected"]) {
                if (!(k in row)) return { shape, problem: `${q(k)} is missing: a DPO row needs both "chosen" and "rejected"` };
                const p = messageProblem(row[k], k, ["assistant"]);
                if (p) return { shape, problem: p };
            }
            if (!messages.some((m) => m.role === "user")) return { shape, problem: `${q("messages")} must contain a user message` };
            return { shape };
        }
        if (!messages.some((m) => m.role === "assistant")) return { shape, problem: `${q("messages")} must contain an assistant message: assistant messages are what the model learns` };
        return { shape };
    }
    if ("text" in row) {
        if (typeof row.text !== "string" || row.text.trim() === "") return { shape: "text", problem: `${q("text")} must be a non-empty string` };
        return { shape: "text" };
    }
    if ("prompt" in row || "completion" in row) {
        const shape: RowShape = "prompt-completion";
        if (typeof row.prompt !== "string") return { shape, problem: `${q("prompt")} must be a string, not ${typeName(row.prompt)}` };
        if (typeof row.completion !== "string" || row.completion.trim() === "") return { shape, problem: `${q("completion")} must be a non-empty string` };
        return { shape };
    }
    const keys = Object.keys(row).slice(0, 5).map((k) => JSON.stringify(k)).join(", ");
    return { problem: `has none of the fields fine-tune data needs ("messages" for SFT or DPO, "text" for CPT, or "prompt" and "completion")${keys ? `; it has ${keys}` : ""}` };
}

/**
 * The kind and place of a JSON syntax error, without the text around it: V8
 * quotes the start of the line (`Unexpected token 's', "{"k": sk-abcdef1"...`),
 * and a training line can hold a key or a token (issue 15 item 11).
 */
export function jsonSyntaxProblem(message: string): string {
    const text = message.replace(/^JSON\.parse: /, "");
    // "Unexpected token 's', "<line>"... is not valid JSON": the token and the line are content.
    const kind = text.startsWith("Unexpected token") ? "unexpected character" : /^([^"]*?) (?:in|after) JSON\b/.exec(text)?.[1] ?? (/^[A-Z][\w ]+$/.test(text) ? text : "syntax error");
    const at = /position (\d+)/.exec(message)?.[1];
    return at === undefined ? kind : `${kind} at character ${Number(at) + 1}`;
}

/** What to check in each line. */
export type JsonlRules = "fine-tune" | "json-object";

/**
 * Validates JSONL fed as raw chunks: splits lines on `\n` (a trailing `\r` is
 * dropped), decodes UTF-8 strictly, parses each line and checks it with the
 * rules. Memory stays bounded by {@link MAX_LINE_BYTES} plus one chunk.
 */
export class JsonlValidator {
    private parts: Buffer[] = [];
    private partBytes = 0;
    private lineBytes = 0;
    private lineNo = 0;
    private rows = 0;
    private blankRun: number[] = [];
    private first?: { shape: RowShape; line: number };
    private readonly reported: string[] = [];
    private badLines = 0;
    private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

    constructor(
        private readonly rules: JsonlRules,
        private readonly maxLineBytes = MAX_LINE_BYTES,
    ) {}

    /** Feeds the next chunk of the file. */
    push(chunk: Buffer): void {
        let start = 0;
        for (;;) {
            const nl = chunk.indexOf(0x0a, start);
            this.append(chunk.subarray(start, nl === -1 ? chunk.length : nl));
            if (nl === -1) return;
            this.endLine();
            start = nl + 1;
        }
    }

    /**
     * Ends the input and returns what is wrong: up to {@link MAX_REPORTED_LINES}
     * `line N: ...` entries, a count of further bad lines, or a note that the
     * file has no rows. Empty when the data is valid.
     */
    finish(): string[] {
        if (this.lineBytes > 0) this.endLine();
        const out = [...this.reported];
        const more = this.badLines - this.reported.length;
        if (more > 0) out.push(`${more} more line${more === 1 ? "" : "s"} with problems (only the first ${MAX_REPORTED_LINES} are shown)`);
        if (this.rows === 0 && this.badLines === 0) out.push("holds no data: JSONL needs one JSON object per line");
        return out;
    }

    /** Rows (non-blank lines) seen so far. */
    get rowCount(): number {
        return this.rows;
    }

    /** Bytes of the current, unfinished line held in memory: never more than the line cap. */
    get heldBytes(): number {
        return this.partBytes;
    }

    private append(piece: Buffer): void {
        this.lineBytes += piece.length;
        if (this.lineBytes > this.maxLineBytes) {
            // Too long to hold: keep counting its bytes, drop its content.
            this.parts = [];
            this.partBytes = 0;
            return;
        }
        if (piece.length) {
            this.parts.push(piece);
            this.partBytes += piece.length;
        }
    }

    private endLine(): void {
        const lineNo = ++this.lineNo;
        const bytes = this.lineBytes;
        const raw = bytes > this.maxLineBytes ? undefined : Buffer.concat(this.parts, this.partBytes);
        this.parts = [];
        this.partBytes = 0;
        this.lineBytes = 0;
        if (raw === undefined) {
            this.flushBlanks();
            this.rows++;
            return this.bad(lineNo, `is ${bytes} bytes long; lines over ${bytesText(this.maxLineBytes)} are not checked or accepted here (the service drops rows longer than the job's maxLength tokens)`);
        }
        let text: string;
        try {
            text = this.decoder.decode(raw);
        } catch {
            this.flushBlanks();
            this.rows++;
            return this.bad(lineNo, "is not valid UTF-8; save the file as UTF-8");
        }
        if (text.endsWith("\r")) text = text.slice(0, -1);
        if (text.trim() === "") {
            // Blank lines at the very end are harmless; elsewhere they break the one-row-per-line rule.
            this.blankRun.push(lineNo);
            return;
        }
        this.flushBlanks();
        this.rows++;
        if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) return this.bad(lineNo, "starts with a UTF-8 byte-order mark; save the file as UTF-8 without BOM");
        let row: unknown;
        try {
            row = JSON.parse(text);
        } catch (e) {
            return this.bad(lineNo, `is not valid JSON (${jsonSyntaxProblem((e as Error).message)})`);
        }
        if (this.rules === "json-object") {
            if (!isObject(row)) this.bad(lineNo, `must be a JSON object, not ${typeName(row)}`);
            return;
        }
        const check = checkFineTuneRow(row);
        if (check.problem) return this.bad(lineNo, check.problem);
        if (!check.shape) return;
        if (!this.first) this.first = { shape: check.shape, line: lineNo };
        else if (this.first.shape !== check.shape) {
            this.bad(lineNo, `is ${SHAPE_NAMES[check.shape]}, but line ${this.first.line} is ${SHAPE_NAMES[this.first.shape]}; one file holds one kind of row`);
        }
    }

    private flushBlanks(): void {
        for (const n of this.blankRun) this.bad(n, "is empty; JSONL has one JSON object on every line");
        this.blankRun = [];
    }

    private bad(lineNo: number, problem: string): void {
        this.badLines++;
        if (this.reported.length < MAX_REPORTED_LINES) this.reported.push(`line ${lineNo}: ${problem}`);
    }
}

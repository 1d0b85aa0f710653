/**
 * The JSONL validator behind `bailian.File`'s check: each documented row
 * shape, each failure with its line number, and the streaming edge cases
 * (lines split across chunks, a huge line, an empty file).
 */
import { strict as assert } from "node:assert";
import { JsonlRules, JsonlValidator, MAX_REPORTED_LINES, checkFineTuneRow } from "../../provider/bailian/jsonl";

/** Runs the validator over `text`, fed in chunks of `chunk` bytes. */
function validate(text: string | Buffer, opts: { rules?: JsonlRules; chunk?: number; maxLineBytes?: number } = {}): string[] {
    const v = new JsonlValidator(opts.rules ?? "fine-tune", opts.maxLineBytes);
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8");
    const step = opts.chunk ?? bytes.length;
    for (let i = 0; i < bytes.length; i += step) v.push(bytes.subarray(i, i + step));
    return v.finish();
}

const jsonl = (...rows: unknown[]) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

const chat = (assistant = "Hi there.") => ({
    messages: [
        { role: "system", content: "You are a support bot." },
        { role: "user", content: "Hello" },
        { role: "assistant", content: assistant },
    ],
});
const dpo = { messages: [{ role: "user", content: "Explain gravity." }], chosen: { role: "assistant", content: "Mass attracts mass." }, rejected: { role: "assistant", content: "Stuff falls." } };

describe("bailian.File JSONL validation: the documented row shapes", () => {
    it("accepts SFT chat rows with system, user and assistant messages", () => {
        assert.deepEqual(validate(jsonl(chat(), chat("Second answer."))), []);
    });

    it("accepts multi-turn chat rows and assistant content with <think> blocks", () => {
        const row = { messages: [{ role: "user", content: "a" }, { role: "assistant", content: "<think>\nhm\n</think>\n\nb" }, { role: "user", content: "c" }, { role: "assistant", content: "d" }] };
        assert.deepEqual(validate(jsonl(row)), []);
    });

    it("accepts Qwen-VL chat rows whose content is a list of text and image parts", () => {
        const row = { messages: [{ role: "user", content: [{ text: "What is this?" }, { image: "cat.jpg" }] }, { role: "assistant", content: [{ text: "A cat." }] }] };
        assert.deepEqual(validate(jsonl(row)), []);
    });

    it("accepts DPO rows with messages, chosen and rejected", () => {
        assert.deepEqual(validate(jsonl(dpo, dpo)), []);
    });

    it("accepts CPT rows with text", () => {
        assert.deepEqual(validate(jsonl({ text: "Domain text one." }, { text: "Domain text two." })), []);
    });

    it("accepts prompt/completion rows", () => {
        assert.deepEqual(validate(jsonl({ prompt: "2+2=", completion: "4" })), []);
    });

    it("accepts CRLF line endings and one trailing blank line", () => {
        assert.deepEqual(validate(JSON.stringify(chat()) + "\r\n" + JSON.stringify(chat()) + "\r\n\r\n"), []);
    });

    it("accepts a last line without a newline", () => {
        assert.deepEqual(validate(JSON.stringify(chat()) + "\n" + JSON.stringify(chat())), []);
    });

    it("gives the same answer when the file arrives one byte at a time", () => {
        const text = jsonl(chat(), { messages: [{ role: "bot", content: "x" }] }, "{oops", chat());
        assert.deepEqual(validate(text, { chunk: 1 }), validate(text));
        assert.equal(validate(text, { chunk: 1 }).length, 2);
    });
});

describe("bailian.File JSONL validation: failures name the line and the field", () => {
    it("an unknown role names the message path and the allowed roles", () => {
        const bad = { messages: [{ role: "user", content: "q" }, { role: "bot", content: "a" }] };
        assert.deepEqual(validate(jsonl(chat(), chat(), bad)), ['line 3: "messages[1].role" must be one of system, user, assistant, not "bot"']);
    });

    it("a line that is not JSON is reported as such", () => {
        const [p] = validate(jsonl(chat(), '{"messages": [', chat()));
        assert.match(p, /^line 2: is not valid JSON \(/);
    });

    it("a malformed line is described by the kind and place of the problem, never by its content (a key may be in it)", () => {
        const problems = validate(jsonl('{"api_key": sk-live-0123456789abcdef}', '{"messages": [{"role": "user", "content": "sk-live-0123456789abcdef', '{"a": 1} sk-live-0123456789abcdef'));
        assert.deepEqual(problems, [
            "line 1: is not valid JSON (unexpected character)",
            "line 2: is not valid JSON (Unterminated string at character 68)",
            "line 3: is not valid JSON (Unexpected non-whitespace character at character 10)",
        ]);
    });

    it("a JSON value that is not an object is reported", () => {
        assert.deepEqual(validate(jsonl("[1,2]")), ["line 1: must be a JSON object, not an array"]);
    });

    it("a row with none of the known fields lists what it has", () => {
        assert.deepEqual(validate(jsonl({ question: "q", answer: "a" })), [
            'line 1: has none of the fields fine-tune data needs ("messages" for SFT or DPO, "text" for CPT, or "prompt" and "completion"); it has "question", "answer"',
        ]);
    });

    it("a chat row without an assistant message is reported", () => {
        assert.match(validate(jsonl({ messages: [{ role: "user", content: "q" }] }))[0], /^line 1: "messages" must contain an assistant message/);
    });

    it("an empty messages list is reported", () => {
        assert.deepEqual(validate(jsonl({ messages: [] })), ['line 1: "messages" must not be empty']);
    });

    it("a message without content is reported by path", () => {
        assert.deepEqual(validate(jsonl({ messages: [{ role: "user", content: "q" }, { role: "assistant" }] })), ['line 1: "messages[1].content" is missing']);
    });

    it("empty assistant content is reported", () => {
        assert.deepEqual(validate(jsonl(chat("  "))), ['line 1: "messages[2].content" must not be empty']);
    });

    it("content of the wrong type is reported with the type found", () => {
        assert.match(validate(jsonl({ messages: [{ role: "user", content: 42 }, { role: "assistant", content: "a" }] }))[0], /^line 1: "messages\[0\]\.content" must be a string .*, not a number$/);
    });

    it("a DPO row without rejected is reported", () => {
        const { rejected: _r, ...half } = dpo;
        assert.deepEqual(validate(jsonl(half)), ['line 1: "rejected" is missing: a DPO row needs both "chosen" and "rejected"']);
    });

    it("a DPO answer with a role other than assistant is reported", () => {
        assert.deepEqual(validate(jsonl({ ...dpo, chosen: { role: "user", content: "x" } })), ['line 1: "chosen.role" must be "assistant", not "user"']);
    });

    it("an empty CPT text is reported", () => {
        assert.deepEqual(validate(jsonl({ text: "" })), ['line 1: "text" must be a non-empty string']);
    });

    it("a prompt/completion row with an empty completion is reported", () => {
        assert.deepEqual(validate(jsonl({ prompt: "p", completion: "" })), ['line 1: "completion" must be a non-empty string']);
    });

    it("a file mixing row kinds reports the first line of another kind", () => {
        assert.deepEqual(validate(jsonl(chat(), chat(), { text: "cpt" })), [
            'line 3: is a CPT row ("text"), but line 1 is a chat row ("messages"); one file holds one kind of row',
        ]);
    });

    it("a blank line between rows is reported with its number", () => {
        assert.deepEqual(validate(JSON.stringify(chat()) + "\n\n" + JSON.stringify(chat()) + "\n"), ["line 2: is empty; JSONL has one JSON object on every line"]);
    });

    it("a UTF-8 byte-order mark is reported on line 1", () => {
        assert.deepEqual(validate("\ufeff" + jsonl(chat())), ["line 1: starts with a UTF-8 byte-order mark; save the file as UTF-8 without BOM"]);
    });

    it("bytes that are not UTF-8 are reported with the line number", () => {
        const latin1 = Buffer.concat([Buffer.from(jsonl(chat())), Buffer.from('{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
        assert.deepEqual(validate(latin1), ["line 2: is not valid UTF-8; save the file as UTF-8"]);
    });

    it(`reports only the first ${MAX_REPORTED_LINES} bad lines and counts the rest`, () => {
        const rows = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? chat() : "not json"));
        const out = validate(jsonl(...rows));
        assert.equal(out.length, MAX_REPORTED_LINES + 1);
        assert.deepEqual(out.slice(0, MAX_REPORTED_LINES).map((p) => p.split(":")[0]), ["line 2", "line 4", "line 6", "line 8", "line 10"]);
        assert.equal(out[MAX_REPORTED_LINES], `1 more line with problems (only the first ${MAX_REPORTED_LINES} are shown)`);
    });

    it("an empty file has no data", () => {
        assert.deepEqual(validate(""), ["holds no data: JSONL needs one JSON object per line"]);
    });

    it("a file of blank lines has no data", () => {
        assert.deepEqual(validate("\n\n  \n"), ["holds no data: JSONL needs one JSON object per line"]);
    });

    it("a line over the length cap is reported, not parsed, and the lines after it are still checked", () => {
        const huge = JSON.stringify({ text: "x".repeat(2000) });
        const out = validate(jsonl({ text: "ok" }, huge, { text: "" }), { maxLineBytes: 1024, chunk: 100 });
        assert.deepEqual(out, [`line 2: is ${Buffer.byteLength(huge)} bytes long; lines over 1024 bytes are not checked or accepted here (the service drops rows longer than the job's maxLength tokens)`, 'line 3: "text" must be a non-empty string']);
    });

    it("a 9 MiB line is reported against the default 8 MiB cap, and its bytes are dropped once past the cap", () => {
        const v = new JsonlValidator("fine-tune");
        v.push(Buffer.from(jsonl({ text: "first" })));
        let peak = 0;
        for (let i = 0; i < 9; i++) {
            v.push(Buffer.alloc(1024 * 1024, 0x61));
            peak = Math.max(peak, v.heldBytes);
        }
        assert.equal(v.heldBytes, 0, "nothing of the over-long line is held");
        assert.ok(peak <= 8 * 1024 * 1024, `held at most the cap, held ${peak}`);
        v.push(Buffer.from("\n" + JSON.stringify({ text: "after" }) + "\n"));
        assert.deepEqual(v.finish(), [`line 2: is ${9 * 1024 * 1024} bytes long; lines over 8 MiB are not checked or accepted here (the service drops rows longer than the job's maxLength tokens)`]);
        assert.equal(v.rowCount, 3);
    });
});

describe("bailian.File JSONL validation: other purposes", () => {
    it("batch JSONL only needs one JSON object per line", () => {
        assert.deepEqual(validate(jsonl({ custom_id: "1", body: {} }, "[]"), { rules: "json-object" }), ["line 2: must be a JSON object, not an array"]);
    });

    it("checkFineTuneRow names the shape of a valid row", () => {
        assert.equal(checkFineTuneRow(dpo).shape, "dpo");
        assert.equal(checkFineTuneRow(chat()).shape, "chat");
        assert.equal(checkFineTuneRow({ text: "t" }).shape, "text");
        assert.equal(checkFineTuneRow({ prompt: "p", completion: "c" }).shape, "prompt-completion");
    });
});

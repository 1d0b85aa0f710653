/** A minimal multipart/form-data parser for the emulator's upload endpoint (RFC 7578); whole bodies only, which is fine for test-sized files. */
export interface Part {
    name: string;
    filename?: string;
    data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): Part[] | undefined {
    const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    if (!/^multipart\/form-data/i.test(contentType) || !m) return undefined;
    const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
    const parts: Part[] = [];
    let pos = body.indexOf(delimiter);
    while (pos !== -1) {
        const start = pos + delimiter.length;
        if (body.subarray(start, start + 2).toString() === "--") break;
        const next = body.indexOf(delimiter, start);
        if (next === -1) break;
        const chunk = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next one
        const headerEnd = chunk.indexOf("\r\n\r\n");
        if (headerEnd !== -1) {
            const head = chunk.subarray(0, headerEnd).toString("utf8");
            const name = /name="([^"]*)"/i.exec(head)?.[1] ?? "";
            const filename = /filename="([^"]*)"/i.exec(head)?.[1];
            parts.push({ name, filename, data: chunk.subarray(headerEnd + 4) });
        }
        pos = next;
    }
    return parts;
}

/**
 * What the quickstart needs to exist before it runs, created through the
 * emulator's control API (on a real account these are the user's own: an
 * uploaded dataset, a PolarDB cluster). Returns the stack config.
 */
export async function seedQuickstart(emulatorUrl: string): Promise<Record<string, string>> {
    const control = async (method: string, path: string, body: unknown) =>
        (await fetch(`${emulatorUrl}/_control${path}`, { method, body: JSON.stringify(body) })).json() as Promise<any>;
    const file = await control("POST", "/dashscope/files", {
        name: "support-train.jsonl",
        content: '{"messages":[{"role":"user","content":"Where is my order?"},{"role":"assistant","content":"Let me check that for you."}]}\n',
    });
    return { trainingFileId: file.data.file_id };
}

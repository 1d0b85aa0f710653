/**
 * Checks an answer against the typed response models of an official Node
 * SDK (its `.d.ts`), at run time: the Node SDK parses JSON and hands it over
 * typed, so a field of the wrong type reaches a program unnoticed. Every
 * field must have the model's type; `null` is accepted only where the
 * model's own comment says the field may return null ("此字段可能返回 null");
 * a field the model does not have is reported too (an emulator invention).
 */
import * as fs from "node:fs";
import * as ts from "typescript";

interface Property {
    type: ts.TypeNode;
    nullable: boolean;
}

/** The interfaces of a models file, by name: each property's type and whether its comment allows null. */
export function loadModels(file: string): Map<string, Map<string, Property>> {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const models = new Map<string, Map<string, Property>>();
    for (const stmt of source.statements) {
        if (!ts.isInterfaceDeclaration(stmt)) continue;
        const props = new Map<string, Property>();
        for (const m of stmt.members) {
            if (!ts.isPropertySignature(m) || !m.type) continue;
            const comment = ts.getJSDocCommentsAndTags(m).map((d) => d.getText()).join("\n");
            props.set(m.name.getText(source), { type: m.type, nullable: /可能返回 null/.test(comment) });
        }
        models.set(stmt.name.text, props);
    }
    return models;
}

/** Every disagreement between `value` and the model `name`, as `path: problem` lines. */
export function conformance(models: Map<string, Map<string, Property>>, name: string, value: unknown): string[] {
    const problems: string[] = [];
    checkInterface(models, name, value, name, problems);
    return problems;
}

function checkInterface(models: Map<string, Map<string, Property>>, name: string, value: unknown, path: string, problems: string[]): void {
    const model = models.get(name);
    if (!model) return void problems.push(`${path}: no model ${name} in the SDK`);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push(`${path}: expected a ${name} object, got ${JSON.stringify(value)}`);
    for (const [key, v] of Object.entries(value)) {
        const prop = model.get(key);
        if (!prop) {
            problems.push(`${path}.${key}: not a field of ${name}`);
            continue;
        }
        if (v === null) {
            if (!prop.nullable) problems.push(`${path}.${key}: null, where the model's comment does not say it may return null`);
            continue;
        }
        checkType(models, prop.type, v, `${path}.${key}`, problems);
    }
}

function checkType(models: Map<string, Map<string, Property>>, type: ts.TypeNode, v: unknown, path: string, problems: string[]): void {
    switch (type.kind) {
        case ts.SyntaxKind.StringKeyword:
            if (typeof v !== "string") problems.push(`${path}: expected a string, got ${JSON.stringify(v)}`);
            return;
        case ts.SyntaxKind.NumberKeyword:
            if (typeof v !== "number") problems.push(`${path}: expected a number, got ${JSON.stringify(v)}`);
            return;
        case ts.SyntaxKind.BooleanKeyword:
            if (typeof v !== "boolean") problems.push(`${path}: expected a boolean, got ${JSON.stringify(v)}`);
            return;
        case ts.SyntaxKind.AnyKeyword:
        case ts.SyntaxKind.UnknownKeyword:
            return;
    }
    if (ts.isArrayTypeNode(type)) return checkArray(models, type.elementType, v, path, problems);
    if (ts.isTypeReferenceNode(type)) {
        const ref = type.typeName.getText();
        if (ref === "Array" && type.typeArguments?.length === 1) return checkArray(models, type.typeArguments[0], v, path, problems);
        return checkInterface(models, ref, v, path, problems);
    }
    // Unions, literals and anything else: not judged.
}

function checkArray(models: Map<string, Map<string, Property>>, element: ts.TypeNode, v: unknown, path: string, problems: string[]): void {
    if (!Array.isArray(v)) return void problems.push(`${path}: expected an array, got ${JSON.stringify(v)}`);
    v.forEach((item, i) => {
        if (item === null) problems.push(`${path}[${i}]: null item`);
        else checkType(models, element, item, `${path}[${i}]`, problems);
    });
}

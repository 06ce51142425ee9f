import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { quote } from './inputs.js';
import type { Expression } from './types.js';

/**
 * Inputs from declared types, through TypeScript's checker: the module itself (TypeScript, or
 * JavaScript with JSDoc types) and the declaration file beside a JavaScript module (`index.d.ts`
 * of a package). For each export: candidates per parameter of its first call signature, of a
 * class's constructor and methods, and of an exported object's function members. Keys as in
 * `InputPlans` (`name`, `default`, `Class.constructor`, `Class.method`, `member`).
 */
export type TypedParams = Record<string, Expression[][]>;

const MAX_CANDIDATES = 14;
const MAX_DEPTH = 3;

function declarationBeside(file: string): string | undefined {
  if (!/\.(c|m)?js$/.test(file)) return undefined;
  const base = file.replace(/\.(c|m)?js$/, '');
  for (const candidate of [`${base}.d.ts`, `${base}.d.cts`, `${base}.d.mts`])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

class Writer {
  constructor(private readonly checker: ts.TypeChecker) {}

  candidates(type: ts.Type, depth = 0): Expression[] {
    const out = this.raw(type, depth);
    return [...new Set(out)].slice(0, MAX_CANDIDATES);
  }

  private raw(type: ts.Type, depth: number): Expression[] {
    const f = type.flags;
    if (f & ts.TypeFlags.StringLiteral) return [quote((type as ts.StringLiteralType).value)];
    if (f & ts.TypeFlags.NumberLiteral) return [String((type as ts.NumberLiteralType).value)];
    if (f & ts.TypeFlags.BigIntLiteral) {
      const v = (type as ts.BigIntLiteralType).value;
      return [`${v.negative ? '-' : ''}${v.base10Value}n`];
    }
    if (f & ts.TypeFlags.BooleanLiteral)
      return [(type as { intrinsicName?: string }).intrinsicName === 'true' ? 'true' : 'false'];
    if (f & ts.TypeFlags.Boolean) return ['true', 'false'];
    if (f & ts.TypeFlags.String) return ["'a'", "'hello world'", "''", "'Foo-Bar_baz 1'"];
    if (f & ts.TypeFlags.Number) return ['0', '1', '-1', '2.5', '42'];
    if (f & ts.TypeFlags.BigInt) return ['0n', '1n', '-5n'];
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return ['undefined'];
    if (f & ts.TypeFlags.Null) return ['null'];
    if (f & ts.TypeFlags.ESSymbolLike) return ["Symbol('s')"];
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return [];
    if (type.isUnion()) {
      // Each member's first candidates first, so that every member is represented.
      const lists = type.types.map((t) => this.raw(t, depth));
      const out: Expression[] = [];
      for (let k = 0; out.length < MAX_CANDIDATES * 2 && lists.some((l) => l.length > k); k++)
        for (const list of lists) if (list[k] !== undefined) out.push(list[k]!);
      return out;
    }
    if (f & ts.TypeFlags.TypeParameter) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      return constraint && constraint !== type ? this.raw(constraint, depth) : [];
    }
    if (depth >= MAX_DEPTH) return f & ts.TypeFlags.Object ? ['{}'] : [];
    if (type.isIntersection()) return this.object(type, depth);
    if (f & ts.TypeFlags.Object) return this.objectLike(type, depth);
    return [];
  }

  private objectLike(type: ts.Type, depth: number): Expression[] {
    const checker = this.checker;
    if (checker.isTupleType(type)) {
      const elements = checker.getTypeArguments(type as ts.TypeReference);
      const firsts = elements.map((e) => this.raw(e, depth + 1)[0] ?? 'undefined');
      return [`[${firsts.join(', ')}]`];
    }
    if (checker.isArrayType(type)) {
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      const items = element ? this.raw(element, depth + 1) : [];
      if (items.length === 0) return ['[]', '[1, 2, 3]', "['a', 'b']"];
      return [
        '[]',
        `[${items[0]}]`,
        `[${items.slice(0, 3).join(', ')}]`,
        `[${items.slice(1, 4).join(', ')}]`,
      ];
    }
    const name = type.getSymbol()?.getName();
    switch (name) {
      case 'Date':
        return ['new Date(0)', "new Date('2020-02-29T12:34:56Z')"];
      case 'RegExp':
        return ['/a/', '/^[a-z]+$/i'];
      case 'Map':
      case 'ReadonlyMap':
        return ["new Map([['a', 1]])", 'new Map()'];
      case 'Set':
      case 'ReadonlySet':
        return ['new Set([1, 2])', 'new Set()'];
      case 'Promise':
      case 'PromiseLike': {
        const inner = checker.getTypeArguments(type as ts.TypeReference)[0];
        const first = inner ? this.raw(inner, depth + 1)[0] : undefined;
        return [`Promise.resolve(${first ?? 'undefined'})`];
      }
      case 'Buffer':
      case 'Uint8Array':
        return ["Buffer.from('abc')"];
      case 'Error':
        return ["new Error('boom')"];
      case 'Function':
        return ['(x) => x', '() => {}'];
      case 'Object':
        return ['{}', '{ a: 1 }'];
      default:
        break;
    }
    const calls = type.getCallSignatures();
    if (calls.length > 0) return this.callbacks(calls[0]!, depth);
    // A class instance cannot be written as a literal; an interface or object type can.
    if (type.getConstructSignatures().length > 0) return [];
    if (type.getSymbol()?.flags !== undefined && type.getSymbol()!.flags & ts.SymbolFlags.Class)
      return [];
    return this.object(type, depth);
  }

  private callbacks(signature: ts.Signature, depth: number): Expression[] {
    const params = signature
      .getParameters()
      .map((p, i) => (/^[A-Za-z_$][\w$]*$/.test(p.getName()) ? p.getName() : `a${i}`));
    const returnType = signature.getReturnType();
    const returns = this.raw(returnType, depth + 1);
    const list = params.join(', ');
    const out = returns.slice(0, 2).map((r) => `(${list}) => (${r})`);
    if (params.length > 0) out.push(`(${list}) => ${params[0]}`);
    out.push(`(${list}) => {}`);
    return out;
  }

  private object(type: ts.Type, depth: number): Expression[] {
    const checker = this.checker;
    const props = checker.getPropertiesOfType(type).slice(0, 14);
    const index = checker.getIndexInfosOfType(type)[0];
    if (props.length === 0) {
      if (index) {
        const values = this.raw(index.type, depth + 1);
        return [`{ a: ${values[0] ?? '1'}, b: ${values[1] ?? values[0] ?? '2'} }`, '{}'];
      }
      return ['{}'];
    }
    const entries = props.map((p) => {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      const t = decl
        ? checker.getTypeOfSymbolAtLocation(p, decl)
        : checker.getDeclaredTypeOfSymbol(p);
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
      const name = /^[A-Za-z_$][\w$]*$/.test(p.getName()) ? p.getName() : quote(p.getName());
      const values = this.raw(optional ? checker.getNonNullableType(t) : t, depth + 1).filter(
        (v) => v !== 'undefined',
      );
      return { name, optional, values };
    });
    const write = (k: number, withOptional: boolean): Expression => {
      const parts = entries
        .filter((e) => withOptional || !e.optional)
        .map((e) => {
          const v = e.values[Math.min(k, e.values.length - 1)];
          return v === undefined ? undefined : `${e.name}: ${v}`;
        })
        .filter((p): p is string => p !== undefined);
      return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    };
    const out = [write(0, false), write(0, true), write(1, true), write(2, false)];
    // One optional property at a time, for its own branch.
    for (const e of entries.filter((x) => x.optional).slice(0, 6))
      for (const v of e.values.slice(0, 2)) {
        const required = write(0, false);
        out.push(
          required === '{}' ? `{ ${e.name}: ${v} }` : `${required.slice(0, -2)}, ${e.name}: ${v} }`,
        );
      }
    return out;
  }
}

function parametersOf(
  writer: Writer,
  checker: ts.TypeChecker,
  signature: ts.Signature,
  at: ts.Node,
): Expression[][] {
  return signature.getParameters().map((p) => {
    const decl = p.valueDeclaration;
    let type = checker.getTypeOfSymbolAtLocation(p, decl ?? at);
    if (decl && ts.isParameter(decl) && decl.dotDotDotToken && checker.isArrayType(type))
      type = checker.getTypeArguments(type as ts.TypeReference)[0] ?? type;
    const optional =
      decl &&
      ts.isParameter(decl) &&
      (decl.questionToken !== undefined || decl.initializer !== undefined);
    const list = writer.candidates(optional ? checker.getNonNullableType(type) : type);
    return optional ? [...list, 'undefined'] : list;
  });
}

/**
 * Typed candidates of a module's exports, or an empty record when the checker has nothing to say
 * (a JavaScript file without JSDoc types or declaration file, a program that does not build).
 */
export function typedParams(file: string): TypedParams {
  const declaration = declarationBeside(file);
  const roots = declaration ? [file, declaration] : [file];
  let program: ts.Program;
  try {
    program = ts.createProgram(roots, {
      allowJs: true,
      checkJs: false,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
      strictNullChecks: true,
    });
  } catch {
    return {};
  }
  const checker = program.getTypeChecker();
  const writer = new Writer(checker);
  const out: TypedParams = {};
  const add = (name: string, params: Expression[][]): void => {
    if (params.some((p) => p.length > 0) && !out[name]) out[name] = params;
  };
  for (const root of declaration ? [declaration, file] : [file]) {
    const source = program.getSourceFile(root);
    const moduleSymbol = source ? checker.getSymbolAtLocation(source) : undefined;
    if (!source || !moduleSymbol) continue;
    let exports: ts.Symbol[];
    try {
      exports = checker.getExportsOfModule(moduleSymbol);
    } catch {
      continue;
    }
    const exportEquals = moduleSymbol.exports?.get(ts.InternalSymbolName.ExportEquals);
    const entries: [string, ts.Symbol][] = exports.map((s) => [s.getName(), s]);
    if (exportEquals) entries.push(['default', exportEquals]);
    for (const [exportName, symbol] of entries) {
      const resolved =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const type = checker.getTypeOfSymbolAtLocation(resolved, source);
      const names = exportName === 'default' ? ['default', resolved.getName()] : [exportName];
      const call = type.getCallSignatures()[0];
      if (call) for (const n of names) add(n, parametersOf(writer, checker, call, source));
      const construct = type.getConstructSignatures()[0];
      if (construct) {
        for (const n of names)
          add(`${n}.constructor`, parametersOf(writer, checker, construct, source));
        const instance = construct.getReturnType();
        for (const member of checker.getPropertiesOfType(instance)) {
          const memberType = checker.getTypeOfSymbolAtLocation(member, source);
          const signature = memberType.getCallSignatures()[0];
          if (signature)
            for (const n of names)
              add(`${n}.${member.getName()}`, parametersOf(writer, checker, signature, source));
        }
      }
      // Function members of an exported object or function (`export = { parse }`, `fn.sync`).
      for (const member of checker.getPropertiesOfType(type)) {
        if (member.getName() === 'prototype') continue;
        const memberType = checker.getTypeOfSymbolAtLocation(member, source);
        const signature = memberType.getCallSignatures()[0];
        if (!signature) continue;
        const params = parametersOf(writer, checker, signature, source);
        add(member.getName(), params);
        for (const n of names) add(`${n}.${member.getName()}`, params);
      }
    }
  }
  void path;
  return out;
}

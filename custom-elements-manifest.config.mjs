import { readFileSync } from 'node:fs';

/**
 * Lit's internal reactive state (`{ state: true }` in `static properties`) is neither an
 * attribute nor public API, and `{ attribute: false }` properties have no attribute; the
 * analyzer lists both as attributes, so this drops them.
 */
function dropLitState() {
  return {
    name: 'guarded-chat:drop-lit-state',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const source = readFileSync(module.path, 'utf8');
        const state = new Set([...source.matchAll(/(\w+): \{ state: true \}/g)].map((m) => m[1]));
        const propertyOnly = new Set([...source.matchAll(/(\w+): \{ attribute: false/g)].map((m) => m[1]));
        for (const declaration of module.declarations ?? []) {
          declaration.attributes = declaration.attributes?.filter((a) => !state.has(a.fieldName ?? a.name) && !propertyOnly.has(a.fieldName ?? a.name));
          declaration.members = declaration.members?.filter((m) => !state.has(m.name));
          // A dispatch helper's `new CustomEvent(type)` reads as an event named "type": only documented events are real.
          declaration.events = declaration.events?.filter((e) => e.description);
        }
      }
    },
  };
}

// `npm run build:lib` writes custom-elements.json from the components' JSDoc, so editors and
// framework wrappers see attributes, properties, events, slots and CSS parts.
export default {
  globs: ['src/components/**/*.component.ts', 'src/components/guarded-element.ts', 'src/components/guard-source-element.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [dropLitState()],
};

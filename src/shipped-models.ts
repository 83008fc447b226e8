/**
 * Where the package's shipped `models/` folder is served by default: beside the build output
 * (`dist/lib/` → `../models/`), or the project root under the dev server (`src/` → `../models/`).
 * A page whose bundler moves the package's files sets `ShippedModelSource.baseUrl` instead.
 */
export const SHIPPED_MODELS_URL: string = new URL(['..', 'models', ''].join('/'), import.meta.url).href;

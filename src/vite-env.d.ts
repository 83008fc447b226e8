// Vite's `?url&no-inline` asset imports (vite/client types only know `?url`).
declare module '*?url&no-inline' {
  const url: string;
  export default url;
}

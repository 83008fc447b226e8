// `npm test`'s pretest step: the browser suite drives Debian's Chromium, and its core paths also
// run in Debian's Firefox ESR. On a Debian machine where we run as root it installs what is
// missing; anywhere else it says what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const browsers = [
  { name: 'Chromium', pkg: 'chromium', env: 'CHROMIUM_PATH', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  { name: 'Firefox ESR', pkg: 'firefox-esr', env: 'FIREFOX_PATH', path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr' },
];
const missing = browsers.filter((b) => !existsSync(b.path));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const setByHand = missing.filter((b) => process.env[b.env]);
if (setByHand.length > 0 || !isRoot || !hasApt) {
  for (const b of missing) {
    console.error(`${b.name} not found at ${b.path}. The browser tests need it: on Debian run `
      + `\`sudo apt-get install ${b.pkg}\`, or set ${b.env} to its binary.`);
  }
  process.exit(1);
}

const packages = missing.map((b) => b.pkg);
console.log(`Not found: ${missing.map((b) => b.name).join(', ')}; installing Debian's ${packages.join(', ')} (apt-get)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
for (const b of missing) {
  if (!existsSync(b.path)) {
    console.error(`apt-get finished but ${b.path} is still missing.`);
    process.exit(1);
  }
}

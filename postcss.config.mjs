// Tailwind 4 through PostCSS (Next reads this file).
const config = { plugins: { '@tailwindcss/postcss': {} } };

export default config;

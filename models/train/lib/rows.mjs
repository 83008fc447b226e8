// Two rows are the same text when they match after lower-casing and collapsing white space: the key
// that keeps filled templates and augmented rows from repeating a row already in the data.
export const normKey = (text) => text.toLowerCase().replace(/\s+/g, ' ').trim();

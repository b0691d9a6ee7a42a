// Placeholder, replaced by the popup UI.
export {};

// Placeholder: lands with the schema types.
export {};

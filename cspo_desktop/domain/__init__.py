"""Pure product rules: vocabulary, ranking keys, estimation, errors. No Qt, no SQL."""

export function restoreNativeDate(): boolean;

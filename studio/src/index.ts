export const studioPlaceholder = "The studio arrives with its own issue.";

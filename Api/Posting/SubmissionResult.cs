namespace InventoryOrleans.Api.Posting;

/// <summary>Either the event as produced, or why it was refused (nothing produced).</summary>
/// <param name="Field">The field at fault, camelCase as in the JSON; <c>body</c> when the body as a whole is wrong.</param>
public sealed record SubmissionResult(PostedEvent? Posted, string? Field, string? Error)
{
    public bool Accepted => Posted is not null;

    public static SubmissionResult Refused(string field, string error) => new(null, field, error);
}

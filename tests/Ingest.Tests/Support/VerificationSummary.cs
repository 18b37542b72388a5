namespace InventoryOrleans.Ingest.Tests.Support;

/// <summary>What a verification looked at.</summary>
public sealed record VerificationSummary(int ValidMessages, int InvalidMessages, int Outcomes, int UnpublishedDecisions, int Products);

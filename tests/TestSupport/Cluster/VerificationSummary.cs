namespace InventoryOrleans.TestSupport.Cluster;

/// <summary>What a verification looked at.</summary>
/// <param name="ValidMessages">Input messages that parsed (each has its outcome records).</param>
/// <param name="Decisions">EventIds decided (Applied or Rejected), each exactly once on the outcomes topic.</param>
/// <param name="Alerts">Low-stock alerts the model raised (each found on the alerts topic).</param>
public sealed record VerificationSummary(int ValidMessages, int InvalidMessages, int Outcomes, int Decisions, int Products, int Alerts);

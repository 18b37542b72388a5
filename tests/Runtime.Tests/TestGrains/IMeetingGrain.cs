namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>Two of these meet: each call completes only once another grain's call has arrived too.</summary>
public interface IMeetingGrain : IGrainWithStringKey
{
    Task MeetAsync();
}

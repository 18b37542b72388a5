using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// How a host ends when its configuration is refused at start (<c>ValidateOnStart</c>, the exposure check, Kestrel's
/// endpoint setup): every failure on standard error, each saying how to fix it, and exit code
/// <see cref="ExitCode"/> — not an unhandled exception, which prints a stack trace around the message and aborts the
/// process (exit code 134, SIGABRT, read by a service manager or an orchestrator as a crash rather than a refusal).
/// </summary>
public static class RefusedStart
{
    /// <summary>The exit code of a start refused by configuration (sysexits' EX_CONFIG).</summary>
    public const int ExitCode = 78;

    /// <summary>
    /// Builds the host, maps its endpoints with <paramref name="map"/> and runs it until it stops: 0, or
    /// <see cref="ExitCode"/> when its configuration is refused (in building: Kestrel's endpoint setup; or in starting).
    /// </summary>
    public static int RunOrRefuse(this WebApplicationBuilder builder, string hostName, Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(map);
        try
        {
            var app = builder.Build();
            map(app);
            app.Run();
            return 0;
        }
        catch (Exception e) when (Find(e) is { } refused)
        {
            Console.Error.WriteLine($"{hostName} refused to start: its configuration is not valid.");
            foreach (var failure in refused.Failures)
            {
                Console.Error.WriteLine($"  - {failure}");
            }

            return ExitCode;
        }
    }

    // Kestrel and the hosted services may wrap it.
    private static OptionsValidationException? Find(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is OptionsValidationException refused)
            {
                return refused;
            }

            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null);
            }
        }

        return null;
    }
}

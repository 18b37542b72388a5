using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace InventoryOrleans.Api.Auth;

/// <summary>
/// Authenticates a request by API key: <c>Authorization: Bearer &lt;key&gt;</c> (scheme name case-insensitive), and
/// with <see cref="ApiKeyAuthenticationOptions.AcceptBasic"/> also HTTP Basic with the key as password. No header is
/// no result (reads stay open); a wrong key fails. A challenge answers 401 ProblemDetails with the scheme's
/// <c>WWW-Authenticate</c> values.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRing keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    /// <summary>The name of an authenticated caller (keys carry no identity).</summary>
    public const string CallerName = "api-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!keys.Enabled)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var header = Request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var credential = space < 0 ? "" : header[(space + 1)..].Trim();
        string? key;
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            key = credential;
        }
        else if (Options.AcceptBasic && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            key = PasswordOf(credential);
        }
        else
        {
            return Task.FromResult(AuthenticateResult.Fail($"Authorization scheme '{scheme}' is not accepted here."));
        }

        if (string.IsNullOrEmpty(key) || !keys.Matches(key))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, CallerName)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        foreach (var challenge in Options.Challenges)
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge);
        }

        var how = Options.AcceptBasic
            ? "send 'Authorization: Bearer <key>', or HTTP Basic with the key as the password"
            : "send 'Authorization: Bearer <key>'";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure is { } failure
                    ? $"{failure.Message} This needs one of the keys of Api__Keys: {how}."
                    : $"This needs an API key (one of Api__Keys): {how}.",
            },
        });
    }

    // "Basic base64(user:password)": the password is the key; anything malformed is no key.
    private static string? PasswordOf(string credential)
    {
        var bytes = new byte[credential.Length];
        if (!Convert.TryFromBase64String(credential, bytes, out var length))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : decoded[(colon + 1)..];
    }
}

using Microsoft.AspNetCore.Authentication;

namespace InventoryOrleans.Api.Auth;

/// <summary>How one API-key scheme reads credentials and challenges (see <see cref="ApiKeySchemes"/>).</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Also take HTTP Basic credentials, the key being the password (the user name is ignored).</summary>
    public bool AcceptBasic { get; set; }

    /// <summary>The <c>WWW-Authenticate</c> values of a 401, in order of preference.</summary>
    public IReadOnlyList<string> Challenges { get; set; } = ["Bearer"];
}

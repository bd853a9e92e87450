using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// The federated credential AKS workload identity (and Azure.Identity's WorkloadIdentityCredential) describes in
/// environment variables: <c>AZURE_CLIENT_ID</c>, <c>AZURE_TENANT_ID</c>, <c>AZURE_FEDERATED_TOKEN_FILE</c> and,
/// optionally, <c>AZURE_AUTHORITY_HOST</c> (default <see cref="DefaultAuthorityHost"/>). The token URL is
/// <c>&lt;authority&gt;/&lt;tenant&gt;/oauth2/v2.0/token</c>.
/// </summary>
public sealed record FederatedEnvironment(Uri TokenUrl, string ClientId, string AssertionPath)
{
    /// <summary>Entra ID's public cloud, as Azure.Identity defaults it.</summary>
    public static readonly Uri DefaultAuthorityHost = new("https://login.microsoftonline.com/");

    /// <summary>The variables read, in the order a missing one is named.</summary>
    public static readonly IReadOnlyList<string> Required =
        ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE"];

    /// <summary>
    /// The credential <paramref name="variable"/> (an environment lookup) describes, for OAuth definition
    /// <paramref name="definitionName"/>. Missing or empty required variables are <c>OAuthEnvironmentIncomplete</c>,
    /// all named at once; a tenant that is not one path segment or an authority that is not an https:// URL is
    /// <c>OAuthEnvironmentInvalid</c>.
    /// </summary>
    public static FederatedEnvironment Read(Func<string, string?> variable, string definitionName)
    {
        string[] missing = Required.Where(v => string.IsNullOrWhiteSpace(variable(v))).ToArray();
        if (missing.Length > 0)
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthEnvironmentIncomplete,
                FailureCategory.ObjectNotFound,
                $"-FromEnvironment needs {string.Join(", ", missing)}, and this process does not have"
                + $" {(missing.Length == 1 ? "it" : "them")}. AKS workload identity sets them in pods whose service"
                + " account is annotated azure.workload.identity/client-id and labelled azure.workload.identity/use;"
                + " elsewhere give -TokenUrl, -ClientId and -ClientAssertionPath.",
                definitionName);
        }

        string tenant = variable("AZURE_TENANT_ID")!.Trim();
        if (tenant.Any(c => c is '/' or '\\' or '?' or '#' || char.IsWhiteSpace(c)))
        {
            throw Invalid(
                $"AZURE_TENANT_ID '{tenant}' is not a tenant id: give the directory's GUID or domain name.",
                definitionName);
        }

        string? authorityText = variable("AZURE_AUTHORITY_HOST");
        Uri authority = DefaultAuthorityHost;
        if (!string.IsNullOrWhiteSpace(authorityText)
            && (!Uri.TryCreate(authorityText.Trim(), UriKind.Absolute, out authority!)
                || authority.Scheme != Uri.UriSchemeHttps
                || !string.IsNullOrEmpty(authority.Query)
                || !string.IsNullOrEmpty(authority.UserInfo)))
        {
            throw Invalid(
                "AZURE_AUTHORITY_HOST is not an https:// URL without a query, e.g. https://login.microsoftonline.com/."
                + " Fix or unset it.",
                definitionName);
        }

        string root = authority.AbsoluteUri.EndsWith('/') ? authority.AbsoluteUri : authority.AbsoluteUri + "/";
        return new FederatedEnvironment(
            new Uri($"{root}{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token"),
            variable("AZURE_CLIENT_ID")!.Trim(),
            variable("AZURE_FEDERATED_TOKEN_FILE")!.Trim());
    }

    private static FhirSecurityException Invalid(string message, string definitionName)
        => new(ErrorIds.OAuthEnvironmentInvalid, FailureCategory.InvalidArgument, message, definitionName);
}

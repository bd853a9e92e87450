namespace FhirSecurity.TestServer;

/// <summary>
/// What the token endpoint saw in one request, without secrets: form field names, the client id and the
/// non-secret parameters tests assert on.
/// </summary>
/// <param name="FieldNames">Names of the form fields, in order.</param>
/// <param name="ClientId">The client id from the Basic header or the form, if any.</param>
/// <param name="ClientAuthMethod"><c>client_secret_basic</c>, <c>client_secret_post</c>, <c>private_key_jwt</c>, or null when no credentials came.</param>
/// <param name="GrantType">The <c>grant_type</c> field.</param>
/// <param name="Scope">The <c>scope</c> field.</param>
public sealed record TokenRequestRecord(
    IReadOnlyList<string> FieldNames,
    string? ClientId,
    string? ClientAuthMethod,
    string? GrantType,
    string? Scope)
{
    /// <summary>The <c>client_assertion_type</c> field, if any.</summary>
    public string? ClientAssertionType { get; init; }

    /// <summary>The decoded JOSE header of the <c>client_assertion</c> (private_key_jwt), if one came and decoded.</summary>
    public System.Text.Json.Nodes.JsonObject? AssertionHeader { get; init; }

    /// <summary>The decoded claims of the <c>client_assertion</c>, if one came and decoded.</summary>
    public System.Text.Json.Nodes.JsonObject? AssertionClaims { get; init; }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirSecurity.TestServer;

/// <summary>
/// Checks a federated client assertion as Entra ID does: <c>client_id</c> names a client with a
/// <see cref="FederatedCredential"/>, the JWT is RS256-signed by the <see cref="FederatedIssuer"/>, its
/// <c>iss</c>/<c>sub</c>/<c>aud</c> match the credential and it is within <c>nbf</c>..<c>exp</c>. Refusals carry
/// Entra's AADSTS codes in <c>error_description</c>, so the module's pass-through is tested against its words.
/// </summary>
internal sealed class FederatedAssertionVerifier(ServerState state)
{
    /// <summary>The client a <c>client_id</c> names when it has a federated credential, else null.</summary>
    public OAuthClientRegistration? FederatedClient(string? clientId)
        => clientId is null ? null : state.Options.OAuthClients.FirstOrDefault(c => c.ClientId == clientId && c.Federated is not null);

    /// <summary>Null when <paramref name="assertion"/> proves <paramref name="client"/>, else Entra's reason.</summary>
    public string? Verify(OAuthClientRegistration client, string assertion, string? assertionType, out ReceivedAssertion? received)
    {
        received = null;
        string[] parts = assertion.Split('.');
        JsonObject? header = null;
        JsonObject? claims = null;
        try
        {
            header = parts.Length == 3 ? JsonNode.Parse(TestJwks.FromBase64Url(parts[0])) as JsonObject : null;
            claims = parts.Length == 3 ? JsonNode.Parse(TestJwks.FromBase64Url(parts[1])) as JsonObject : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            // Not a JWT: said below.
        }

        if (header is null || claims is null)
        {
            return "AADSTS50027: JWT token is invalid or malformed.";
        }

        received = new ReceivedAssertion(assertion, header, claims);
        if (assertionType != ClientAssertionVerifier.AssertionType)
        {
            return $"AADSTS700016: client_assertion_type must be {ClientAssertionVerifier.AssertionType}.";
        }

        bool signatureValid;
        try
        {
            signatureValid = Text(header, "alg") == "RS256"
                && state.FederatedIssuer.Verifies(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), TestJwks.FromBase64Url(parts[2]));
        }
        catch (FormatException)
        {
            signatureValid = false;
        }

        if (!signatureValid)
        {
            return "AADSTS700027: Client assertion failed signature validation.";
        }

        FederatedCredential credential = client.Federated!;
        if (Text(claims, "iss") != credential.Issuer || Text(claims, "sub") != credential.Subject || Text(claims, "aud") != credential.Audience)
        {
            return $"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{Text(claims, "iss")}'. Assertion Subject: '{Text(claims, "sub")}'. Assertion Audience: '{Text(claims, "aud")}'.";
        }

        long now = state.Time.GetUtcNow().ToUnixTimeSeconds();
        if (!Seconds(claims, "exp", out long exp) || exp <= now || (Seconds(claims, "nbf", out long nbf) && nbf > now + 300))
        {
            return "AADSTS700024: Client assertion is not within its valid time range.";
        }

        return null;
    }

    private static bool Seconds(JsonObject json, string name, out long value)
    {
        value = 0;
        return json[name] is JsonValue v && v.TryGetValue(out value);
    }

    private static string? Text(JsonObject json, string name) => json[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}

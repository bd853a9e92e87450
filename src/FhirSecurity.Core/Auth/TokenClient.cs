using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// Requests client-credentials tokens (RFC 6749 4.4) with client_secret_basic, client_secret_post, private_key_jwt
/// (RFC 7523, a new signed assertion per attempt) or an assertion file (read again per attempt), over the
/// connection's own HTTP client (so its TLS policy applies to the token endpoint too). Token endpoint errors keep the
/// server's <c>error</c> and <c>error_description</c>; no message ever holds the client secret or an assertion.
/// </summary>
public static class TokenClient
{
    /// <summary>
    /// The lifetime assumed when the server omits <c>expires_in</c> (RFC 6749 5.1 makes it optional).
    /// </summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Requests a new token within <paramref name="timeout"/>. With <paramref name="retry"/>, an answer that says
    /// "try later" (429, 503, ...; its <c>Retry-After</c> honoured) or a passing transport failure is retried within
    /// the same timeout, whatever <see cref="RetryPolicy.RetryNonIdempotent"/> says: a token request is safe to
    /// repeat. Without it, the request is sent once. <paramref name="verbose"/> hears each retry. A managed identity
    /// definition is asked of <see cref="ManagedIdentityTokenClient"/> instead, told of the token it is
    /// <paramref name="replacing"/>.
    /// </summary>
    public static async Task<AccessToken> RequestAsync(
        OAuthDefinition oauth,
        HttpClient http,
        TransportPolicy tls,
        TimeProvider clock,
        TimeSpan timeout,
        CancellationToken cancellation,
        RetryPolicy? retry = null,
        Action<string>? verbose = null,
        AccessToken? replacing = null)
    {
        if (oauth.IsManagedIdentity)
        {
            return await ManagedIdentityTokenClient.RequestAsync(oauth, http, clock, timeout, cancellation, replacing)
                .ConfigureAwait(false);
        }

        Uri tokenUrl = oauth.TokenUrl!;
        var plan = new RequestPlan(
            HttpMethod.Post,
            (retry ?? RetryPolicy.None).ForSafeRequest(),
            timeout,
            clock,
            () => $"The token endpoint {tokenUrl.GetLeftPart(UriPartial.Path)}",
            () => Endpoint.TokenEndpoint.Timeout(tokenUrl, timeout)) { Verbose = verbose };
        Attempts<Answer> sent = await RequestPipeline.RunAsync(
            plan, deadline => AttemptAsync(oauth, http, tls, clock, deadline), cancellation).ConfigureAwait(false);
        return sent.Result.Token ?? throw sent.Result.Failure!;
    }

    private static async Task<Attempt<Answer>> AttemptAsync(
        OAuthDefinition oauth, HttpClient http, TransportPolicy tls, TimeProvider clock, CancellationToken deadline)
    {
        string? assertion = oauth.ClientAuthentication switch
        {
            OAuthClientAuthentication.PrivateKeyJwt => ClientAssertion.Create(oauth, clock.GetUtcNow()),
            OAuthClientAuthentication.ClientAssertionFile
                => ClientAssertionFile.Read(oauth.ClientAssertionPath!, oauth.Name).Reveal(),
            _ => null,
        };
        using HttpRequestMessage request = NewRequest(oauth, assertion);
        Exchanged exchanged = await HttpExchange.SendAsync(http, tls, request, Endpoint.TokenEndpoint, clock, deadline)
            .ConfigureAwait(false);
        if (exchanged.Answer is not { } answer)
        {
            FhirSecurityException failure = exchanged.Failure!;
            return exchanged.Transient ? new(new Answer(null, failure), failure.Message) : throw failure;
        }

        if (answer.IsSuccess)
        {
            return new(new Answer(ReadToken(answer.Body, oauth, clock.GetUtcNow()), null));
        }

        FhirSecurityException refused = Refused(answer, oauth, tls, assertion);
        return RetryPolicy.IsRetryableStatus(answer.Status)
            ? new(new Answer(null, refused), $"HTTP {answer.Status}", answer.RetryAfter)
            : throw refused;
    }

    private static HttpRequestMessage NewRequest(OAuthDefinition oauth, string? assertion)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, oauth.TokenUrl)
        {
            Content = new FormUrlEncodedContent(Form(oauth, assertion)),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (oauth.ClientAuthentication == OAuthClientAuthentication.ClientSecretBasic)
        {
            // RFC 6749 2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
            string pair = WebUtility.UrlEncode(oauth.ClientId) + ":"
                + WebUtility.UrlEncode(oauth.ClientSecret!.Reveal());
            request.Headers.Authorization =
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        return request;
    }

    private static List<KeyValuePair<string, string>> Form(OAuthDefinition oauth, string? assertion)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (oauth.Scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', oauth.Scopes)));
        }

        if (oauth.ClientAuthentication == OAuthClientAuthentication.ClientSecretPost)
        {
            form.Add(new("client_id", oauth.ClientId));
            form.Add(new("client_secret", oauth.ClientSecret!.Reveal()));
        }

        if (oauth.ClientAuthentication == OAuthClientAuthentication.ClientAssertionFile)
        {
            // A federated assertion names the platform's identity, not the client: the server (Entra ID among them)
            // needs client_id to find the client that trusts it.
            form.Add(new("client_id", oauth.ClientId));
        }

        if (assertion is not null)
        {
            // SMART Backend Services sends no client_id: the assertion's iss/sub name the client.
            form.Add(new("client_assertion_type", ClientAssertion.AssertionType));
            form.Add(new("client_assertion", assertion));
        }

        form.AddRange(oauth.ExtraParameters);
        return form;
    }

    private static AccessToken ReadToken(string body, OAuthDefinition oauth, DateTimeOffset receivedAt)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Invalid(oauth, "the response is not JSON");
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("access_token", out JsonElement token)
            || token.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(token.GetString()))
        {
            throw Invalid(oauth, "the response has no access_token");
        }

        if (root.TryGetProperty("token_type", out JsonElement type)
            && (type.ValueKind != JsonValueKind.String
                || !string.Equals(type.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase)))
        {
            throw Invalid(oauth, $"the token type is '{type}', and only Bearer tokens are supported");
        }

        TimeSpan lifetime = DefaultLifetime;
        if (root.TryGetProperty("expires_in", out JsonElement expires))
        {
            // Some servers send the number as a string.
            double seconds = expires.ValueKind switch
            {
                JsonValueKind.Number => expires.GetDouble(),
                JsonValueKind.String when double.TryParse(
                    expires.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
                    => parsed,
                _ => throw Invalid(oauth, "expires_in is not a number"),
            };
            lifetime = TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        string? scope =
            root.TryGetProperty("scope", out JsonElement granted) && granted.ValueKind == JsonValueKind.String
                ? granted.GetString()
                : null;
        return new AccessToken(new SecretValue(token.GetString()!), receivedAt, receivedAt + lifetime, scope)
        {
            MissingScopes = MissingScopes(oauth.Scopes, scope),
        };
    }

    /// <summary>
    /// The requested scopes the granted <paramref name="scope"/> lacks. Scope strings are compared exactly (RFC 6749
    /// 3.3: space-delimited, case-sensitive), not by meaning: a wider grant written differently (<c>system/*.rs</c> for
    /// <c>system/Patient.rs</c>) counts as missing too. No <c>scope</c> in the answer means the server granted what was
    /// asked (RFC 6749 5.1), so nothing is missing.
    /// </summary>
    public static IReadOnlyList<string> MissingScopes(IReadOnlyList<string> requested, string? scope)
    {
        if (scope is null || requested.Count == 0)
        {
            return [];
        }

        var granted = new HashSet<string>(
            scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        return requested.Where(s => !granted.Contains(s)).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static FhirSecurityException Refused(
        HttpAnswer answered, OAuthDefinition oauth, TransportPolicy tls, string? assertion)
    {
        var status = (HttpStatusCode)answered.Status;
        string body = answered.Body;
        string? error = null;
        string? description = null;
        bool json = false;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            json = true;
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                error = document.RootElement.TryGetProperty("error", out JsonElement e)
                    && e.ValueKind == JsonValueKind.String
                        ? e.GetString()
                        : null;
                description = document.RootElement.TryGetProperty("error_description", out JsonElement d)
                    && d.ValueKind == JsonValueKind.String
                        ? d.GetString()
                        : null;
            }
        }
        catch (JsonException)
        {
            // Not an RFC 6749 error body: the status and the excerpt below say what there is to say.
        }

        string advice = error switch
        {
            "invalid_client" when oauth.ClientAuthentication == OAuthClientAuthentication.PrivateKeyJwt
                => "Check the client id, the key id (-KeyId) and that the server has the public key of this private key"
                    + " registered under it, the algorithm, and this machine's clock.",
            "invalid_client" or "invalid_grant"
                when oauth.ClientAuthentication == OAuthClientAuthentication.ClientAssertionFile
                => "Check the client id and that the client trusts this assertion's issuer, subject and audience (a"
                    + $" federated credential), and that '{oauth.ClientAssertionPath}' holds a fresh assertion.",
            "invalid_client"
                => "Check the client id and secret (Set-FhirOAuth -ClientSecret) and the client authentication method.",
            "invalid_scope" => "Ask for scopes the client is allowed (Set-FhirOAuth -Scope).",
            "unauthorized_client"
                => "The client may not use the client-credentials grant; ask the server's maintainers.",
            _ => "See the token endpoint's answer above.",
        };
        // Not JSON: a page from a front or gateway, which says in a line what it refused.
        string? excerpt = json ? null : ServerExcerpt.From(body, answered.ContentType, Secrets(oauth, assertion));
        string answer = $"HTTP {(int)status}{ServerExcerpt.Said(excerpt)}";
        bool missing = ClientCertificateAnswers.Missing(tls, oauth.TokenUrl!);
        if (ClientCertificateAnswers.IsRefusal(missing, json, (int)status, excerpt))
        {
            return ClientCertificateAnswers.Error(
                $"The token endpoint {oauth.TokenUrl} refused OAuth definition '{oauth.Name}' with {answer}",
                "The token endpoint",
                oauth.TokenUrl!,
                (int)status);
        }

        string described = description is null ? string.Empty : ": " + Scrub(description, oauth, assertion);
        string what = error is null ? answer : $"{error}{described} (HTTP {(int)status})";
        return new FhirSecurityException(
            ErrorIds.OAuthTokenRequestFailed,
            (int)status is 429 or >= 500 ? FailureCategory.ResourceUnavailable : FailureCategory.AuthenticationError,
            $"The token endpoint {oauth.TokenUrl} refused OAuth definition '{oauth.Name}': {what}. {advice}",
            oauth.Name) { StatusCode = (int)status, RemoteError = error };
    }

    private static FhirSecurityException Invalid(OAuthDefinition oauth, string why)
        => new(
            ErrorIds.OAuthTokenResponseInvalid,
            FailureCategory.ProtocolError,
            $"The token endpoint {oauth.TokenUrl} answered OAuth definition '{oauth.Name}' with an unusable token"
            + $" response: {why}. Check that the token URL is the OAuth token endpoint.",
            oauth.Name);

    // A server that echoes what it received must not make the secret or the assertion (or its signature)
    // appear in an error.
    private static string Scrub(string text, OAuthDefinition oauth, string? assertion)
        => SecretValue.RedactIn(text, Secrets(oauth, assertion));

    private static string?[] Secrets(OAuthDefinition oauth, string? assertion)
        => [oauth.ClientSecret?.Reveal(), assertion, assertion?[(assertion.LastIndexOf('.') + 1)..]];

    /// <summary>A token, or the error the token endpoint's last answer comes to.</summary>
    private sealed record Answer(AccessToken? Token, FhirSecurityException? Failure);
}

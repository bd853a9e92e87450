using System.Net.Sockets;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using Microsoft.Identity.Client;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// Gets tokens for a managed identity definition through Azure.Identity's <see cref="ManagedIdentityCredential"/>,
/// which finds the platform's endpoint itself (App Service, Functions and Automation through IDENTITY_ENDPOINT and
/// IDENTITY_HEADER, Azure Arc, Service Fabric, else IMDS). Its transport is the connection's pooled HTTP client (the
/// proxy applies) and Azure.Core's retries are off: the module's own cache decides when to ask. MSAL, under
/// Azure.Identity, keeps a process-wide cache of managed identity tokens of its own; a token the module replaces (a
/// 401, or the refresh ahead of expiry) is asked for with a claims challenge, which is how MSAL is told to skip that
/// cache and the endpoint that the old token is no longer wanted.
/// </summary>
public static class ManagedIdentityTokenClient
{
    /// <summary>The claims challenge that makes MSAL fetch from the endpoint instead of its cache.</summary>
    private const string RefreshClaims = "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"0\"}}}";

    /// <summary>
    /// A token for <paramref name="oauth"/> (a ManagedIdentity definition) within <paramref name="timeout"/>;
    /// <paramref name="replacing"/> is the token the caller held before, if any.
    /// </summary>
    public static async Task<AccessToken> RequestAsync(
        OAuthDefinition oauth,
        HttpClient http,
        TimeProvider clock,
        TimeSpan timeout,
        CancellationToken cancellation,
        AccessToken? replacing = null)
    {
        var options = new ManagedIdentityCredentialOptions(
            oauth.ClientId.Length == 0
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(oauth.ClientId))
        {
            Transport = new HttpClientTransport(http),
            RetryPolicy = new RetryPolicy(maxRetries: 0),
        };
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        var credential = new ManagedIdentityCredential(options);
        var context = new TokenRequestContext(
            [oauth.Scopes[0]], claims: replacing is null ? null : RefreshClaims);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        DateTimeOffset requestedAt = clock.GetUtcNow();
        Azure.Core.AccessToken token;
        try
        {
            token = await credential.GetTokenAsync(context, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested
                                   && ex is OperationCanceledException or AuthenticationFailedException)
        {
            throw TimedOut(oauth, timeout);
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            throw Failure(oauth, ex);
        }

        // Azure.Identity reads expires_on (epoch seconds, a number or a string) for every platform; the module's cache
        // refreshes ahead from the issue time it saw.
        return new AccessToken(new SecretValue(token.Token), requestedAt, token.ExpiresOn, null);
    }

    /// <summary>The error of a managed identity request that took longer than <paramref name="timeout"/>.</summary>
    public static FhirSecurityException TimedOut(OAuthDefinition oauth, TimeSpan timeout)
        => new(
            ErrorIds.ManagedIdentityTimeout,
            FailureCategory.OperationTimeout,
            $"{Capitalized(oauth.TokenSourceName)} did not answer OAuth definition '{oauth.Name}' within"
            + $" {timeout.TotalSeconds:0.###} s. Check that the platform's identity endpoint is up, or raise the"
            + " connection's -TimeoutSec.",
            oauth.Name);

    // Azure.Identity's exceptions: CredentialUnavailable (no endpoint found, or none answered) or AuthenticationFailed
    // around MSAL's MsalServiceException (the endpoint's status and words) or a transport failure. They are not kept
    // as the inner exception: their messages hold whatever the endpoint said, unscrubbed.
    private static FhirSecurityException Failure(OAuthDefinition oauth, Exception ex)
    {
        string source = $"{Capitalized(oauth.TokenSourceName)} (OAuth definition '{oauth.Name}')";
        var service = ExceptionChain.Find<MsalServiceException>(ex);
        bool unreachable = ex is CredentialUnavailableException || ExceptionChain.Find<SocketException>(ex) is not null
                           || ExceptionChain.Find<HttpRequestException>(ex) is { StatusCode: null };
        if (unreachable)
        {
            return new FhirSecurityException(
                ErrorIds.ManagedIdentityUnavailable,
                FailureCategory.ResourceUnavailable,
                $"{source} is not available: no managed identity endpoint answered here. This is not running in"
                + " Azure, or the identity is not enabled for this resource (App Service, Functions, Automation:"
                + " Identity blade; VM: System assigned identity on).",
                oauth.Name);
        }

        string said = Scrub(service?.Message ?? ex.Message);
        if (service is { StatusCode: 400 or 404 })
        {
            return new FhirSecurityException(
                ErrorIds.ManagedIdentityNotFound,
                FailureCategory.ObjectNotFound,
                $"{source} was not found: the endpoint answered HTTP {service.StatusCode}: {said} Check"
                + " -ManagedIdentityClientId (the client id of an identity assigned to this resource), or enable the"
                + " system-assigned identity.",
                oauth.Name) { StatusCode = service.StatusCode };
        }

        int? status = service is { StatusCode: > 0 } ? service.StatusCode : null;
        return new FhirSecurityException(
            ErrorIds.ManagedIdentityRequestFailed,
            status is 429 or >= 500 ? FailureCategory.ResourceUnavailable : FailureCategory.AuthenticationError,
            $"{source} refused a token{(status is null ? string.Empty : $" with HTTP {status}")}: {said} Check the"
            + " -Scope (the resource's .default scope) and the identity's access to it.",
            oauth.Name) { StatusCode = status };
    }

    // The endpoint's header secret is the one credential the platform hands the process; an endpoint that echoes it
    // must not make it appear. MSAL's first line is the endpoint's words; the rest is its troubleshooting links.
    private static string Scrub(string message)
    {
        string text = SecretValue.RedactIn(
            message.Split('\n')[0].Trim(),
            [Environment.GetEnvironmentVariable("IDENTITY_HEADER"), Environment.GetEnvironmentVariable("MSI_SECRET")]);
        return text.EndsWith('.') ? text : text + ".";
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}

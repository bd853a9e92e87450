using System.Collections;
using System.Management.Automation;
using FhirSecurity.Core.Definitions.Edits;

namespace FhirSecurity.Commands;

/// <summary>
/// Changes an OAuth definition, for example to rotate its client secret or key, or to switch between a secret and a
/// private key. Only what is given changes.
/// </summary>
[Cmdlet(VerbsCommon.Set, "FhirOAuth", SupportsShouldProcess = true)]
[OutputType(typeof(FhirOAuthInfo))]
public sealed class SetFhirOAuthCommand : OAuthWriteCommand
{
    /// <summary>The definition's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DefinitionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>A new token endpoint.</summary>
    [Parameter]
    public Uri? TokenUrl { get; set; }

    /// <summary>A new client id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>New scopes (replace the old list; pass @() for the server's default).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Scope { get; set; }

    /// <summary>A new client authentication method.</summary>
    [Parameter]
    public FhirClientAuthentication? ClientAuthentication { get; set; }

    /// <summary>Switches the definition to the Azure managed identity of the machine or sandbox.</summary>
    [Parameter]
    public SwitchParameter ManagedIdentity { get; set; }

    /// <summary>
    /// A user-assigned identity's client id (implies -ManagedIdentity); an empty string for the system-assigned one.
    /// </summary>
    [Parameter]
    [AllowEmptyString]
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>New extra token parameters (replace the old ones; pass @{} for none).</summary>
    [Parameter]
    public Hashtable? ExtraParameter { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            IReadOnlyDictionary<string, string>? extra
                = ExtraParameter is null ? null : OAuthParameters.FromHashtable(ExtraParameter, Name);
            bool removeJwksUrl = IsBound(nameof(JwksUrl)) && JwksUrl is null;
            OAuthEdit edit = OAuthKeySource.Edit(this, Name, removeJwksUrl) with
            {
                TokenUrl = TokenUrl,
                ClientId = ClientId,
                Scopes = Scope,
                ClientAuthentication = ClientAuthentication is { } method ? Views.ToEngine(method) : null,
                ExtraParameters = extra,
                ManagedIdentity = ManagedIdentity,
                ManagedIdentityClientId = ManagedIdentityClientId,
            };
            if (edit.IsEmpty)
            {
                WriteWarning(
                    $"Nothing to change for OAuth definition '{Name}': pass the parameters to change,"
                    + " e.g. -ClientSecret.");
                return;
            }

            this.WriteDefinition(Name, edit, force: null, PassThru);
        });
}

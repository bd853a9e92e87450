using System.Management.Automation;
using FhirSecurity.Core.Definitions.Edits;

namespace FhirSecurity.Commands;

/// <summary>Creates a Basic Auth definition (user name and password) in a vault.</summary>
[Cmdlet(VerbsCommon.New, "FhirBasicAuth", SupportsShouldProcess = true)]
[OutputType(typeof(FhirBasicAuthInfo))]
public sealed class NewFhirBasicAuthCommand : NewDefinitionCommand
{
    /// <summary>The user name and password the server's maintainers gave out.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() => this.WriteDefinition(
            Name, BasicAuthEdit.From(SecureStrings.ToCredential(Credential)!), Force, PassThru));
}

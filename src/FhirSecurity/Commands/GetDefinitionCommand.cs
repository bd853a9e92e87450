using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Get-Fhir*: lists definitions of one kind by name or wildcard, secrets redacted.</summary>
public abstract class GetDefinitionCommand : FhirCommand
{
    /// <summary>Names or wildcard patterns. Default: all.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DefinitionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = ["*"];

    internal abstract DefinitionKind Kind { get; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            Run(() =>
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var found = Store.List<Definition>(Kind, name, Vault, ex => WriteError(ErrorRecords.From(ex)));
                    foreach (var stored in found)
                    {
                        WriteObject(Views.Of(stored.Definition, stored.Vault));
                    }
                }
                else
                {
                    var stored = Store.Get<Definition>(Kind, name, Vault);
                    WriteObject(Views.Of(stored.Definition, stored.Vault));
                }
            });
        }
    }
}

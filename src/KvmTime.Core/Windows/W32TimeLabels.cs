namespace KvmTime.Windows;

/// <summary>
/// The labels w32tm prints before each field, per display language: English as in the recorded
/// outputs (tests/unit/Samples/windows/*.recorded.txt name their sources), German and French as in
/// the documented_format samples there.
/// </summary>
internal static class W32TimeLabels
{
    private static readonly Dictionary<string, W32TimeField> ByLabel = new(StringComparer.OrdinalIgnoreCase)
    {
        // English
        ["Leap Indicator"] = W32TimeField.LeapIndicator,
        ["Stratum"] = W32TimeField.Stratum,
        ["Precision"] = W32TimeField.Precision,
        ["Root Delay"] = W32TimeField.RootDelay,
        ["Root Dispersion"] = W32TimeField.RootDispersion,
        ["ReferenceId"] = W32TimeField.ReferenceId,
        ["Last Successful Sync Time"] = W32TimeField.LastSuccessfulSyncTime,
        ["Source"] = W32TimeField.Source,
        ["Poll Interval"] = W32TimeField.PollInterval,
        ["Phase Offset"] = W32TimeField.PhaseOffset,

        // German (Stratum is the same word)
        ["Sprungindikator"] = W32TimeField.LeapIndicator,
        ["Präzision"] = W32TimeField.Precision,
        ["Stammverzögerung"] = W32TimeField.RootDelay,
        ["Stammabweichung"] = W32TimeField.RootDispersion,
        ["Referenz-ID"] = W32TimeField.ReferenceId,
        ["Letzte erfolgr. Synchronisierungszeit"] = W32TimeField.LastSuccessfulSyncTime,
        ["Quelle"] = W32TimeField.Source,
        ["Abrufintervall"] = W32TimeField.PollInterval,
        ["Phasendifferenz"] = W32TimeField.PhaseOffset, // recorded (w32tm-status-verbose-de-DE-line-wrap)

        // French (Source is the same word)
        ["Indicateur de saut"] = W32TimeField.LeapIndicator,
        ["Strate"] = W32TimeField.Stratum,
        ["Précision"] = W32TimeField.Precision,
        ["Délai de racine"] = W32TimeField.RootDelay,
        ["Dispersion de racine"] = W32TimeField.RootDispersion,
        ["ID de référence"] = W32TimeField.ReferenceId,
        ["Dernière synchronisation réussie"] = W32TimeField.LastSuccessfulSyncTime,
        ["Intervalle d’interrogation"] = W32TimeField.PollInterval,
        ["Intervalle d'interrogation"] = W32TimeField.PollInterval,

        // French as recorded (w32tm-status-verbose-fr-FR): other words than the documented ones above
        ["Indicateur de dérive"] = W32TimeField.LeapIndicator,
        ["Couche"] = W32TimeField.Stratum,
        ["Heure de la dernière synchronisation réussie"] = W32TimeField.LastSuccessfulSyncTime,
        ["Décalage de phase"] = W32TimeField.PhaseOffset,
    };

    /// <summary>The field a label names, or null for a label KvmTime does not read (or does not know).</summary>
    public static W32TimeField? Field(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return ByLabel.TryGetValue(string.Join(' ', label.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), out var field) ? field : null;
    }
}

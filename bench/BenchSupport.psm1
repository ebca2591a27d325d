# Shared measuring for bench/*.bench.ps1: medians over repeated runs, and markdown tables.

function Measure-Median {
    param([int] $Runs, [scriptblock] $Action, [int] $Warmup = 1)
    for ($i = 0; $i -lt $Warmup; $i++) { $null = & $Action }
    $times = foreach ($i in 1..$Runs) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $null = & $Action
        $watch.Elapsed.TotalMilliseconds
    }
    $sorted = @($times | Sort-Object)
    $sorted[[int][math]::Floor($sorted.Count / 2)]
}

function Format-Ms([double] $Ms) {
    if ($Ms -lt 1) { '{0:0.000} ms' -f $Ms } elseif ($Ms -lt 100) { '{0:0.0} ms' -f $Ms } else { '{0:0} ms' -f $Ms }
}

function ConvertTo-MarkdownTable([object[]] $Rows) {
    $columns = $Rows[0].PSObject.Properties.Name
    '| ' + ($columns -join ' | ') + ' |'
    '|' + (($columns | ForEach-Object { '---' }) -join '|') + '|'
    foreach ($row in $Rows) { '| ' + (($columns | ForEach-Object { $row.$_ }) -join ' | ') + ' |' }
}

function Install-DebianPackage([string[]] $Names) {
    $missing = @($Names | Where-Object { -not (& dpkg-query -W -f='${Status}' $_ 2>$null | Select-String 'install ok installed') })
    if ($missing) {
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get update -qq | Out-Null
        & apt-get install -y -qq --no-install-recommends @missing | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "apt-get install $missing failed" }
    }
}

Export-ModuleMember -Function Measure-Median, Format-Ms, ConvertTo-MarkdownTable, Install-DebianPackage

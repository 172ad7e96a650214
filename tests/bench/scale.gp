# SPDX-License-Identifier: Apache-2.0
# tests/bench/scale.gp — the scale benchmark's chart: the host at rest (CPU,
# RSS), adding every worker and adoption after a host restart, against the
# number of exec workers (log scale), warden beside raw s6 where raw s6 does
# the same work. scale_bench runs it with the data file and the chart's path:
#   gnuplot -e "data='scale.dat'; chart='scale.svg'" tests/bench/scale.gp
# Columns of the data file: see its header (times in ms).
if (!exists("data")) data = 'scale.dat'
if (!exists("chart")) chart = 'scale.svg'

# An SVG, or a PNG when the chart's name ends in .png (to look at it).
if (chart[strlen(chart) - 2:strlen(chart)] eq "png") {
    set terminal pngcairo size 960,680 font "sans,10" background rgb "white"
} else {
    set terminal svg size 960,680 dynamic font "sans,12" background rgb "white"
}
set output chart
set datafile commentschars "#"

set multiplot layout 2,2 title "Warden with N exec workers (each: sleep 3600 with its logger, 4 processes), 2-core machine"
set logscale x
# Half a size beyond the smallest and largest measured.
stats data using 1 nooutput
set xrange [STATS_min / 1.5 : STATS_max * 1.5]
set xtics ("100" 100, "1,000" 1000, "2,500" 2500, "5,000" 5000)
set xlabel "exec workers"
set grid
set key top left Left reverse opaque
set style line 1 lc rgb "#1f77b4" lw 2 pt 7 ps 0.8
set style line 2 lc rgb "#ff7f0e" lw 2 pt 5 ps 0.8
set style line 3 lc rgb "#888888" lw 1 dt 2

set title "host CPU at rest"
set ylabel "% of one core"
set yrange [0:*]
plot data using 1:4 with linespoints ls 1 title "warden host", \
     data using 1:6 with linespoints ls 2 title "s6 (svscan, supervise, log)", \
     1 with lines ls 3 title "goal at 5,000: 1 %"

set title "host memory"
set ylabel "MiB"
plot data using 1:5 with linespoints ls 1 title "warden host RSS", \
     128 with lines ls 3 title "goal at 5,000: 128 MiB"

set title "config gains N workers -> every process up"
set ylabel "seconds"
plot data using 1:($2/1000) with linespoints ls 1 title "warden", \
     data using 1:($3/1000) with linespoints ls 2 title "raw s6 (rename + s6-svscanctl -a)"

set title "host SIGKILLed, started again -> every worker running"
set ylabel "seconds"
plot data using 1:($8/1000) with linespoints ls 1 title "warden (full view)", \
     data using 1:($10/1000) with linespoints ls 2 title "raw s6 (s6-svstat on each)", \
     2 with lines ls 3 title "goal at 5,000: 2 s"

unset multiplot

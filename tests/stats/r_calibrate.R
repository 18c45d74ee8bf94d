# R `survey`'s calibrate() for every design of test_r_calibrate.py, in one Rscript run.
#
# Usage: Rscript r_calibrate.R designs.csv specs.csv results.csv
# designs.csv: one row per respondent (the columns of r_survey.py's cases and u).
# specs.csv: one row per random design (id, strata, cluster, fpc, ssu, fpc2, weighted, nest,
#   calfun, lower, upper,
#   per_psu, on_weights, epsilon, maxit, population as "name=value|name=value|...",
#   r1_levels and r2_levels as "a|b|...": the first level is the one R's model matrix leaves out).
# results.csv: id,key,value lines, every number with 17 significant digits. R's own examples
#   on the api data (ids 2001 on) are added to the random designs.

suppressPackageStartupMessages(library(survey))
Sys.setlocale("LC_COLLATE", "C")
options(survey.lonely.psu = "adjust", warn = -1)
args <- commandArgs(trailingOnly = TRUE)
output <- file(args[3], "w")

write_values <- function(id, values) {
  writeLines(sprintf("%d,%s,%.17g", id, names(values), as.numeric(values)), output)
}

# Weights, mean and total of y, shares of z and domain means and totals of y by g, with SEs.
figures <- function(id, des, y, z, g) {
  v <- c()
  put <- function(key, value) {
    value <- as.numeric(value)
    names(value) <- if (length(value) == 1) key else paste(key, seq_along(value), sep = ".")
    v <<- c(v, value)
  }
  fy <- as.formula(paste0("~", y))
  put("weights", weights(des))
  m <- svymean(fy, des, na.rm = TRUE)
  put("mean", coef(m)); put("mean.se", SE(m))
  t <- svytotal(fy, des, na.rm = TRUE)
  put("total", coef(t)); put("total.se", SE(t))
  p <- svymean(as.formula(paste0("~", z)), des, na.rm = TRUE)
  put("prop", coef(p)); put("prop.se", SE(p))
  for (level in sort(unique(as.character(des$variables[[g]])))) {
    part <- des[des$variables[[g]] == level, ]
    dm <- svymean(fy, part, na.rm = TRUE)
    dt <- svytotal(fy, part, na.rm = TRUE)
    put(paste0("dmean.", level), coef(dm)); put(paste0("dmean.se.", level), SE(dm))
    put(paste0("dtotal.", level), coef(dt)); put(paste0("dtotal.se.", level), SE(dt))
  }
  write_values(id, v)
}

# R's own examples (?calibrate) on apiclus1, and raking of apistrat.
data(api)
apiclus1$awards <- factor(apiclus1$awards)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
tight <- list(epsilon = 1e-12, maxit = 200)
api <- list(
  `2001` = calibrate(dclus1, ~stype + api99, pop),
  `2002` = calibrate(dclus1, ~stype + api99, pop, bounds = c(0.6, 1.6), epsilon = 1e-12,
                     maxit = 200),
  `2003` = calibrate(dclus1, ~stype + api99, pop, calfun = "raking", epsilon = 1e-12,
                     maxit = 200),
  `2004` = calibrate(dclus1, ~stype + api99, pop, calfun = cal.logit, bounds = c(0.7, 1.7),
                     epsilon = 1e-12, maxit = 200),
  `2005` = calibrate(dclus1, ~stype + api99, pop, aggregate.stage = 1),
  `2006` = calibrate(dclus1, ~stype + api99, pop, calfun = "raking", aggregate.stage = 1,
                     epsilon = 1e-12, maxit = 200),
  `2007` = calibrate(dclus1, ~stype + api99, pop, bounds = c(20, 55), bounds.const = TRUE,
                     epsilon = 1e-12, maxit = 200),
  `2008` = calibrate(dclus1, ~stype + api99, pop, calfun = "raking", trim = c(0.9, 1.1),
                     epsilon = 1e-12, maxit = 200),
  `2009` = calibrate(dstrat, ~sch.wide + api99, c(`(Intercept)` = 6194, sch.wideYes = 5122,
                                                  api99 = 3914069),
                     calfun = "raking", epsilon = 1e-12, maxit = 200)
)
for (key in names(api)) {
  figures(as.integer(key), api[[key]], "api00", "awards", "comp.imp")
}

data <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")
specs <- read.csv(args[2], stringsAsFactors = FALSE)
for (row in seq_len(nrow(specs))) {
  spec <- specs[row, ]
  d <- data[data$id == spec$id, ]
  d$r1 <- factor(d$r1, levels = strsplit(spec$r1_levels, "|", fixed = TRUE)[[1]])
  d$r2 <- factor(d$r2, levels = strsplit(spec$r2_levels, "|", fixed = TRUE)[[1]])
  d$z <- factor(d$z)
  # As r_reference.R: a second stage without an fpc is drawn with replacement.
  if (spec$ssu && !spec$fpc2) d$fpc2 <- if (any(d$fpc > 1)) Inf else 0
  des <- svydesign(ids = if (spec$ssu) ~psu + ssu else if (spec$cluster) ~psu else ~1,
                   strata = if (spec$strata) ~stratum else NULL,
                   fpc = if (!spec$fpc) NULL else if (spec$ssu) ~fpc + fpc2 else ~fpc,
                   weights = if (spec$weighted) ~w else NULL, nest = spec$nest, data = d)
  pairs <- strsplit(strsplit(spec$population, "|", fixed = TRUE)[[1]], "=", fixed = TRUE)
  population <- setNames(as.numeric(sapply(pairs, `[`, 2)), sapply(pairs, `[`, 1))
  calibrated <- tryCatch(
    calibrate(des, ~r1 + r2 + u, population, calfun = spec$calfun,
              bounds = c(spec$lower, spec$upper), bounds.const = spec$on_weights,
              aggregate.stage = if (spec$per_psu) 1 else NULL,
              epsilon = spec$epsilon, maxit = spec$maxit),
    error = function(e) {
      message(spec$id, ": ", conditionMessage(e))
      NULL
    })
  if (is.null(calibrated)) {
    write_values(spec$id, c(failed = 1))
  } else {
    figures(spec$id, calibrated, "y", "z", "g")
  }
}
close(output)

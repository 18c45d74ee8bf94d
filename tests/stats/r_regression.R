# R `survey`'s regression figures (svyglm, confint, regTermTest, svyolr) for every design in a
# CSV and for R's own api data, in one Rscript run.
#
# Usage: Rscript r_regression.R DIR
# DIR/designs.csv: one row per respondent (the columns of r_survey.py's cases and o).
# DIR/specs.csv: one row per design (id, strata, cluster, fpc, ssu, fpc2, weighted, x_levels,
#   median, domain), the design switches as in r_reference.R.
# Writes DIR/apistrat.csv and DIR/apiclus1.csv (R's api data) and DIR/results.csv: id,key,value
# lines, every number with 17 significant digits; a fit R cannot use writes key.fail = 1, and
# key.extreme says whether a fitted probability lies within 1e-6 of 0 or 1.
#
# glm runs to convergence (epsilon 1e-15) so that its stopping rule does not limit agreement;
# svyolr's optim(BFGS) gets reltol 1e-16 and a finite-difference step of 1e-5 for its
# numerical Hessian (its defaults, 1e-8 and 1e-3, move the fifth digit).

suppressPackageStartupMessages(library(survey))
Sys.setlocale("LC_COLLATE", "C")
options(survey.lonely.psu = "adjust", warn = -1)
dir <- commandArgs(trailingOnly = TRUE)[1]
data(api)
write.csv(apistrat, file.path(dir, "apistrat.csv"), row.names = FALSE)
write.csv(apiclus1, file.path(dir, "apiclus1.csv"), row.names = FALSE)
output <- file(file.path(dir, "results.csv"), "w")
tight <- glm.control(epsilon = 1e-15, maxit = 100)

# glm's covariance uses the IRLS weights of its last step, taken at the coefficients before
# that step; a logistic fit stops when the deviance changes by less than epsilon, where the
# coefficients still move near 1e-8. Refitting from the converged coefficients makes the last
# step start at the optimum, so R's sandwich is the one at its estimate.
refit <- function(fit) {
  if (fit$family$family == "gaussian") return(fit)
  eval(bquote(update(fit, start = .(unname(coef(fit))))))
}

write_values <- function(id, values) {
  if (length(values)) {
    writeLines(sprintf("%d,%s,%.17g", id, names(values), as.numeric(values)), output)
  }
}

named <- function(key, values, labels) {
  values <- as.numeric(values)
  names(values) <- paste(key, labels, sep = ".")
  values
}

glm_figures <- function(prefix, fit) {
  fit <- refit(fit)
  if (fit$df.residual <= 0) return(c(setNames(1, paste0(prefix, ".fail"))))
  extreme <- fit$family$family != "gaussian" &&
    any(fit$fitted.values < 1e-6 | fit$fitted.values > 1 - 1e-6)
  b <- coef(fit)
  b <- b[!is.na(b)]
  ci <- confint(fit)[names(b), , drop = FALSE]
  v <- c(named(paste0(prefix, ".coef"), b, names(b)),
         named(paste0(prefix, ".se"), SE(fit)[names(b)], names(b)),
         named(paste0(prefix, ".p"), summary(fit)$coefficients[names(b), 4], names(b)),
         named(paste0(prefix, ".ci"), ci[, 1], paste0(names(b), ".1")),
         named(paste0(prefix, ".ci"), ci[, 2], paste0(names(b), ".2")),
         setNames(fit$df.residual, paste0(prefix, ".df")),
         setNames(as.numeric(extreme), paste0(prefix, ".extreme")))
  if (fit$family$family != "gaussian") {
    v <- c(v, named(paste0(prefix, ".or"), exp(b), names(b)),
           named(paste0(prefix, ".or"), exp(ci[, 1]), paste0(names(b), ".1")),
           named(paste0(prefix, ".or"), exp(ci[, 2]), paste0(names(b), ".2")))
  }
  v
}

wald_figures <- function(prefix, fit, term) {
  if (fit$df.residual <= 0) return(c(setNames(1, paste0(prefix, ".fail"))))
  f <- regTermTest(fit, term)
  chi <- regTermTest(fit, term, df = Inf)
  setNames(c(f$Ftest, f$df, f$ddf, f$p, chi$chisq, chi$p),
           paste(prefix, c("f", "df", "ddf", "p", "chisq", "chisq.p"), sep = "."))
}

olr_figures <- function(prefix, formula, design) {
  first <- svyolr(formula, design)
  k <- length(coef(first))
  fit <- svyolr(formula, design, control = list(reltol = 1e-16, maxit = 10000,
                                                ndeps = rep(1e-5, k)))
  observed <- fit$fitted.values[cbind(seq_len(nrow(fit$fitted.values)),
                                     as.integer(model.response(model.frame(fit$terms,
                                                                           model.frame(design)))))]
  if (min(observed) < 1e-7) {  # diverging towards a separated level
    return(c(setNames(1, paste0(prefix, ".separated"))))
  }
  c(named(paste0(prefix, ".value"), coef(fit), seq_len(k)),
    named(paste0(prefix, ".se"), SE(fit), seq_len(k)))
}

safely <- function(prefix, expr) {
  tryCatch(expr, error = function(e) setNames(1, paste0(prefix, ".fail")))
}

# R's api data: the examples of svyglm's and svyolr's help pages.
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus1 <- update(dclus1, mealcat = cut(meals, c(0, 25, 50, 75, 100)))
write_values(9001, glm_figures("lin", svyglm(api00 ~ ell + meals + mobility, dstrat,
                                              control = tight)))
logistic <- svyglm(sch.wide ~ ell + stype, dclus1, family = quasibinomial, control = tight)
write_values(9002, c(glm_figures("logit", logistic), wald_figures("wald", logistic, ~stype)))
write_values(9003, olr_figures("olr", mealcat ~ avg.ed + mobility + stype, dclus1))
write_values(9004, glm_figures("dlin", svyglm(api00 ~ ell + meals + stype,
                                               subset(dstrat, comp.imp == "Yes"),
                                               control = tight)))

data <- read.csv(file.path(dir, "designs.csv"), stringsAsFactors = FALSE, na.strings = "")
specs <- read.csv(file.path(dir, "specs.csv"), stringsAsFactors = FALSE)
for (flag in c("strata", "cluster", "fpc", "ssu", "fpc2", "weighted")) {
  specs[[flag]] <- as.logical(specs[[flag]])  # Python writes True/False
}
for (row in seq_len(nrow(specs))) {
  spec <- specs[row, ]
  d <- data[data$id == spec$id, ]
  d$x <- factor(d$x, levels = strsplit(spec$x_levels, "|", fixed = TRUE)[[1]])
  d$o <- factor(d$o, levels = c("lo", "mid", "hi"))
  # As r_reference.R: a second stage without an fpc is drawn with replacement.
  if (spec$ssu && !spec$fpc2) d$fpc2 <- if (any(d$fpc > 1)) Inf else 0
  des <- svydesign(ids = if (spec$ssu) ~psu + ssu else if (spec$cluster) ~psu else ~1,
                   strata = if (spec$strata) ~stratum else NULL,
                   fpc = if (!spec$fpc) NULL else if (spec$ssu) ~fpc + fpc2 else ~fpc,
                   weights = if (spec$weighted) ~w else NULL, data = d)
  des <- update(des, med = spec$median)  # svyglm takes every variable from the design
  part <- subset(des, g == spec$domain)
  linear <- tryCatch(svyglm(y ~ y2 + x, des, control = tight),
                     error = function(e) NULL)  # x left with one level: refused by both
  v <- c(if (is.null(linear)) c(lin.fail = 1, wald.fail = 1) else
           c(safely("lin", glm_figures("lin", linear)),
             safely("wald", wald_figures("wald", linear, ~x))),
         safely("dlin", glm_figures("dlin", svyglm(y ~ y2 + x, part, control = tight))),
         safely("logit", glm_figures("logit", svyglm(I(y > med) ~ y2 + z, des,
                                                      family = quasibinomial,
                                                      control = tight))),
         safely("dlogit", glm_figures("dlogit", svyglm(I(y > med) ~ y2 + z, part,
                                                        family = quasibinomial,
                                                        control = tight))),
         safely("olr", olr_figures("olr", o ~ y + z, des)))
  write_values(spec$id, v)
}
close(output)
